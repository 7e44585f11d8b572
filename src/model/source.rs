//! Where a model comes from: a local directory or a Hugging Face hub id, resolved to files.

use super::ModelError;
use std::path::{Path, PathBuf};

/// Fetches one file of a hub repository: from the cache offline, else through hf-hub.
type FileGetter<'a> = dyn Fn(&str) -> Result<PathBuf, ModelError> + 'a;

/// A model to load: a directory on disk or a repository on the Hugging Face hub.
///
/// ```
/// use newsevents::ModelSource;
/// assert_eq!(ModelSource::parse("./my-model"), ModelSource::Dir("./my-model".into()));
/// assert!(matches!(ModelSource::parse("dslim/bert-base-NER"), ModelSource::Hub { .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    Dir(PathBuf),
    Hub { repo: String, revision: String },
}

impl ModelSource {
    /// The shipped model: `$NEWSEVENTS_MODEL` if set, else `models/default` of this crate.
    pub fn default_model() -> ModelSource {
        match std::env::var_os("NEWSEVENTS_MODEL") {
            Some(p) => ModelSource::Dir(PathBuf::from(p)),
            None => ModelSource::Dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("models/default")),
        }
    }

    /// `default`, an existing directory, or a hub id `owner/name[@revision]`.
    pub fn parse(spec: &str) -> ModelSource {
        if spec == "default" {
            return ModelSource::default_model();
        }
        let path = Path::new(spec);
        if path.exists()
            || spec.starts_with('.')
            || spec.starts_with('/')
            || spec.split('/').count() != 2
        {
            return ModelSource::Dir(path.to_path_buf());
        }
        let (repo, revision) = match spec.split_once('@') {
            Some((r, v)) => (r.to_string(), v.to_string()),
            None => (spec.to_string(), "main".to_string()),
        };
        ModelSource::Hub { repo, revision }
    }

    /// Local paths of the model's files, downloading from the hub only when not offline.
    pub fn resolve(&self) -> Result<ModelFiles, ModelError> {
        match self {
            ModelSource::Dir(dir) => ModelFiles::in_dir(dir),
            ModelSource::Hub { repo, revision } => resolve_hub(repo, revision),
        }
    }
}

impl std::fmt::Display for ModelSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelSource::Dir(d) => write!(f, "{}", d.display()),
            ModelSource::Hub { repo, revision } => write!(f, "{repo}@{revision}"),
        }
    }
}

/// The files of one model.
#[derive(Debug, Clone)]
pub struct ModelFiles {
    pub config: PathBuf,
    pub tokenizer: PathBuf,
    pub weights: PathBuf,
    /// The lemmas of the training treebanks' forms (`lemmas.tsv`), if the model has them.
    pub lemmas: Option<PathBuf>,
}

impl ModelFiles {
    fn in_dir(dir: &Path) -> Result<ModelFiles, ModelError> {
        if !dir.is_dir() {
            return Err(ModelError::NotFound {
                what: "model directory".into(),
                path: dir.display().to_string(),
            });
        }
        let need = |name: &str| {
            let p = dir.join(name);
            if p.is_file() {
                Ok(p)
            } else {
                Err(ModelError::NotFound {
                    what: name.into(),
                    path: p.display().to_string(),
                })
            }
        };
        let weights = need("model.safetensors")
            .or_else(|_| need("pytorch_model.bin"))
            .map_err(|_| ModelError::NotFound {
                what: "weights (model.safetensors or pytorch_model.bin)".into(),
                path: dir.display().to_string(),
            })?;
        Ok(ModelFiles {
            config: need("config.json")?,
            tokenizer: need("tokenizer.json")?,
            weights,
            lemmas: need(LEMMAS).ok(),
        })
    }
}

/// The optional lemma lexicon beside the weights (`tagging::LemmaLexicon`).
pub const LEMMAS: &str = "lemmas.tsv";

fn offline() -> bool {
    std::env::var("HF_HUB_OFFLINE")
        .is_ok_and(|v| matches!(v.trim(), "1" | "true" | "TRUE" | "yes" | "ON" | "on"))
}

fn resolve_hub(repo_id: &str, revision: &str) -> Result<ModelFiles, ModelError> {
    use hf_hub::{Repo, RepoType};
    let repo = Repo::with_revision(repo_id.to_string(), RepoType::Model, revision.to_string());
    let hub_err = |file: &str, reason: String| ModelError::Hub {
        repo: repo_id.to_string(),
        file: file.to_string(),
        reason,
    };
    let get: Box<FileGetter<'_>> = if offline() {
        let cache = hf_hub::Cache::from_env().repo(repo.clone());
        let dir = hf_hub::Cache::from_env()
            .path()
            .join(repo.folder_name())
            .display()
            .to_string();
        Box::new(move |file: &str| {
            cache.get(file).ok_or_else(|| {
                hub_err(
                    file,
                    format!(
                        "not in the cache at {dir} and HF_HUB_OFFLINE is set: unset it to \
                         download the model, or set HF_HOME to the folder whose hub/ holds it"
                    ),
                )
            })
        })
    } else {
        let api = hf_hub::api::sync::ApiBuilder::from_env()
            .with_progress(false)
            .build()
            .map_err(|e| hub_err("-", e.to_string()))?
            .repo(repo.clone());
        Box::new(move |file: &str| api.get(file).map_err(|e| hub_err(file, e.to_string())))
    };
    let weights = get("model.safetensors").or_else(|_| get("pytorch_model.bin"))?;
    Ok(ModelFiles {
        config: get("config.json")?,
        tokenizer: get("tokenizer.json")?,
        weights,
        lemmas: get(LEMMAS).ok(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hub_ids_and_paths() {
        assert_eq!(
            ModelSource::parse("dslim/bert-base-NER"),
            ModelSource::Hub {
                repo: "dslim/bert-base-NER".into(),
                revision: "main".into()
            }
        );
        assert_eq!(
            ModelSource::parse("dslim/bert-base-NER@abc"),
            ModelSource::Hub {
                repo: "dslim/bert-base-NER".into(),
                revision: "abc".into()
            }
        );
        assert_eq!(ModelSource::parse("./m"), ModelSource::Dir("./m".into()));
        assert_eq!(
            ModelSource::parse("models"),
            ModelSource::Dir("models".into())
        );
    }
}
