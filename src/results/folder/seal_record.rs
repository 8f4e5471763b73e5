//! The part of `manifest.json` that the folder layer owns, as a typed view: the format
//! key, the list of files and the folders of sealed folders. Every other key is kept
//! as read, in its place, when the manifest is rewritten.

use super::*;

/// A manifest's seal: the fields [`seal`] writes ([`FORMAT_KEY`], `files`, `folders`,
/// the same names and types as in [`crate::results::Manifest`]) over the rest of the
/// manifest, kept as JSON so that rewriting it changes nothing else: every other key
/// keeps its value and its place. Written ([`write_manifest`]), the manifest's own
/// keys are replaced where they stand and missing ones added at the end, in the order
/// `murmur_format`, `files`, `folders`; `folders` is left out when empty (the last
/// key then takes its place).
#[derive(Clone, Debug, Default)]
pub struct Seal {
    /// The results-folder format version ([`FORMAT`] for this build).
    pub murmur_format: u64,
    /// Every file murmur wrote in the folder. Read leniently: a `files` that is
    /// missing or not a list of entries lists nothing.
    pub files: Vec<Entry>,
    /// Folders of sealed folders (a sweep's `points`), read as leniently as `files`.
    pub folders: Vec<String>,
    /// The whole manifest as read (or given), with the seal's keys where they stood.
    manifest: serde_json::Value,
}

impl Seal {
    /// Seals `manifest` (a murmur manifest, sealed or not) with [`FORMAT`], `files`
    /// and `folders`.
    pub fn new(manifest: serde_json::Value, files: Vec<Entry>, folders: Vec<String>) -> Seal {
        let mut seal = Seal {
            murmur_format: FORMAT,
            files,
            folders,
            manifest,
        };
        // The keys take their places now, before any other key is set.
        seal.manifest = seal.to_value();
        seal
    }

    /// The seal of a manifest that carries [`FORMAT_KEY`] as a whole number, of
    /// whatever format; `None` for anything else (not an object, no format key).
    pub fn parse(manifest: serde_json::Value) -> Option<Seal> {
        let murmur_format = manifest.get(FORMAT_KEY)?.as_u64()?;
        Some(Seal {
            murmur_format,
            files: lenient(&manifest, "files"),
            folders: lenient(&manifest, "folders"),
            manifest,
        })
    }

    /// A key of the manifest as read (or set): `kind`, `scenario`, ...
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.manifest.get(key)
    }

    /// Sets a key the seal does not own (`assembling`), in its place or at the end.
    pub fn set(&mut self, key: &str, value: serde_json::Value) {
        self.manifest[key] = value;
    }

    /// The manifest as read (or given), with keys set through [`Seal::set`]; the seal's
    /// own keys as they were then, not as changed since.
    pub fn json(&self) -> &serde_json::Value {
        &self.manifest
    }

    /// The manifest as it is written: the seal's keys in their places.
    pub fn to_value(&self) -> serde_json::Value {
        let mut manifest = self.manifest.clone();
        if let Some(object) = manifest.as_object_mut() {
            object.insert(FORMAT_KEY.into(), self.murmur_format.into());
            object.insert(
                "files".into(),
                serde_json::to_value(&self.files).unwrap_or_default(),
            );
            if self.folders.is_empty() {
                object.remove("folders");
            } else {
                object.insert("folders".into(), self.folders.clone().into());
            }
        }
        manifest
    }
}

/// The key `key` of `manifest` as a `T`, or the default when it is missing or
/// malformed.
fn lenient<T: serde::de::DeserializeOwned + Default>(manifest: &serde_json::Value, key: &str) -> T {
    manifest
        .get(key)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default()
}

impl serde::Serialize for Seal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}
