//! Reading a weights file: its tensor names (checked before anything is trusted) and a
//! `VarBuilder` over it. Only safetensors and the restricted pickle subset candle reads are
//! accepted; nothing in a model file is ever executed.

use super::ModelError;
use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use std::collections::BTreeMap;
use std::path::Path;

/// The tensors of a weights file, by name, with their shapes.
pub struct WeightsIndex {
    pub shapes: BTreeMap<String, Vec<usize>>,
}

impl WeightsIndex {
    pub fn contains(&self, name: &str) -> bool {
        self.shapes.contains_key(name)
    }
}

fn corrupt(path: &Path, reason: impl Into<String>) -> ModelError {
    ModelError::Corrupt {
        path: path.display().to_string(),
        reason: reason.into(),
    }
}

fn is_safetensors(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "safetensors")
}

/// Reads and checks the whole file, returning its bytes (safetensors) and index.
fn read_safetensors(path: &Path) -> Result<(Vec<u8>, WeightsIndex), ModelError> {
    let data = std::fs::read(path).map_err(|e| ModelError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    if data.len() < 8 {
        return Err(corrupt(
            path,
            format!(
                "file is {} bytes, too short for a safetensors header",
                data.len()
            ),
        ));
    }
    let header_len = u64::from_le_bytes(data[..8].try_into().expect("8 bytes")) as usize;
    let body_start = 8usize.checked_add(header_len).filter(|&e| e <= data.len()).ok_or_else(|| {
        corrupt(path, format!("header claims {header_len} bytes but the file has {}: truncated or not safetensors", data.len()))
    })?;
    let header: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&data[8..body_start])
            .map_err(|e| corrupt(path, format!("header is not valid JSON: {e}")))?;
    let body_len = data.len() - body_start;
    let mut shapes = BTreeMap::new();
    for (name, info) in &header {
        if name == "__metadata__" {
            continue;
        }
        let shape: Vec<usize> = serde_json::from_value(info["shape"].clone())
            .map_err(|_| corrupt(path, format!("tensor {name} has no valid shape")))?;
        let offsets: Vec<usize> = serde_json::from_value(info["data_offsets"].clone())
            .map_err(|_| corrupt(path, format!("tensor {name} has no valid data_offsets")))?;
        if offsets.len() != 2 || offsets[0] > offsets[1] || offsets[1] > body_len {
            return Err(corrupt(
                path,
                format!("tensor {name} lies at bytes {offsets:?} but the data section has {body_len}: truncated"),
            ));
        }
        let dtype_size = match info["dtype"].as_str() {
            Some("F32" | "I32" | "U32") => 4,
            Some("F16" | "BF16" | "I16") => 2,
            Some("F64" | "I64" | "U64") => 8,
            Some("U8" | "I8" | "BOOL") => 1,
            other => {
                return Err(corrupt(
                    path,
                    format!("tensor {name} has unsupported dtype {other:?}"),
                ))
            }
        };
        let elems: usize = shape.iter().product();
        if elems.checked_mul(dtype_size) != Some(offsets[1] - offsets[0]) {
            return Err(corrupt(
                path,
                format!("tensor {name}: shape {shape:?} does not match its byte length"),
            ));
        }
        shapes.insert(name.clone(), shape);
    }
    Ok((data, WeightsIndex { shapes }))
}

/// Opens a weights file as f32 tensors on `device`.
pub fn open(
    path: &Path,
    device: &Device,
) -> Result<(VarBuilder<'static>, WeightsIndex), ModelError> {
    let wrap = |source: candle_core::Error| ModelError::Unreadable {
        path: path.display().to_string(),
        source: Box::new(source),
    };
    if is_safetensors(path) {
        let (data, index) = read_safetensors(path)?;
        let vb = VarBuilder::from_buffered_safetensors(data, DType::F32, device).map_err(wrap)?;
        Ok((vb, index))
    } else {
        let infos = candle_core::pickle::read_pth_tensor_info(path, false, None).map_err(wrap)?;
        let shapes = infos
            .iter()
            .map(|t| (t.name.clone(), t.layout.shape().dims().to_vec()))
            .collect();
        let vb = VarBuilder::from_pth(path, DType::F32, device).map_err(wrap)?;
        Ok((vb, WeightsIndex { shapes }))
    }
}

/// Tensors of a safetensors file as f32, for initialising a model to train.
pub fn load_tensors(
    path: &Path,
    device: &Device,
) -> Result<BTreeMap<String, candle_core::Tensor>, ModelError> {
    let (vb, index) = open(path, device)?;
    index
        .shapes
        .iter()
        .map(|(name, shape)| {
            let t = vb
                .get(shape.as_slice(), name)
                .map_err(|e| corrupt(path, format!("tensor {name}: {e}")))?;
            Ok((name.clone(), t))
        })
        .collect()
}
