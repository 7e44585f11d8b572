//! Writing a model directory in our layout (`bert.*` and `heads.<name>.*` tensors, the heads
//! listed in config.json; see ARCHITECTURE.md): config.json, model.safetensors, tokenizer.json.

use super::{ModelConfig, ModelError};
use candle_core::{DType, Tensor};
use std::collections::HashMap;
use std::path::Path;

/// Writes `tensors` (canonical names: `bert.*`, `heads.<name>.*`) as `dtype`, the config, and a
/// copy of the tokenizer into `dir`, creating it.
pub fn save_model(
    dir: &Path,
    config: &ModelConfig,
    tokenizer: &Path,
    tensors: &HashMap<String, Tensor>,
    dtype: DType,
) -> Result<(), ModelError> {
    let io = |path: &Path, e: std::io::Error| ModelError::Io {
        path: path.display().to_string(),
        source: e,
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let converted = tensors
        .iter()
        .map(|(k, v)| Ok((k.clone(), v.to_dtype(dtype)?)))
        .collect::<candle_core::Result<HashMap<_, _>>>()?;
    // Write beside, then rename: a crash never leaves a half-written model behind.
    let weights = dir.join("model.safetensors");
    let tmp = dir.join("model.safetensors.tmp");
    candle_core::safetensors::save(&converted, &tmp)?;
    std::fs::rename(&tmp, &weights).map_err(|e| io(&weights, e))?;
    let config_path = dir.join("config.json");
    let json = serde_json::to_string_pretty(config).expect("config serialises");
    std::fs::write(&config_path, json + "\n").map_err(|e| io(&config_path, e))?;
    let target = dir.join("tokenizer.json");
    if tokenizer != target {
        std::fs::copy(tokenizer, &target).map_err(|e| io(&target, e))?;
    }
    Ok(())
}
