//! What this CPU can run, detected once: the one place the kernels ask, and the table of which
//! kernel is fastest on which CPU family.

use std::sync::OnceLock;

/// Who made the CPU: the same instructions issue at different rates on each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    Intel,
    Amd,
    Other,
}

/// The CPU's name and the instruction sets our kernels use.
#[derive(Debug, Clone)]
pub struct CpuFeatures {
    pub vendor: Vendor,
    /// The brand string (`AMD EPYC 9R14 96-Core Processor`), as `/proc/cpuinfo` names it.
    pub brand: String,
    pub avx: bool,
    pub fma: bool,
    pub avx512f: bool,
    pub avx512bw: bool,
    pub avx512bf16: bool,
    pub avx512vnni: bool,
    /// AMX tiles with bf16 and int8 products (Intel Sapphire Rapids and later); reported, not
    /// yet used by a kernel.
    pub amx_bf16: bool,
    pub amx_int8: bool,
}

/// This CPU, detected on first use.
pub fn cpu() -> &'static CpuFeatures {
    static CPU: OnceLock<CpuFeatures> = OnceLock::new();
    CPU.get_or_init(CpuFeatures::detect)
}

impl CpuFeatures {
    #[cfg(target_arch = "x86_64")]
    fn detect() -> CpuFeatures {
        use std::arch::x86_64::{__cpuid, __cpuid_count};
        // cpuid exists on every x86-64 CPU; leaves above the maximum return zeros.
        let (vendor, brand, amx_edx) = {
            let leaf0 = __cpuid(0);
            let mut id = Vec::with_capacity(12);
            for r in [leaf0.ebx, leaf0.edx, leaf0.ecx] {
                id.extend_from_slice(&r.to_le_bytes());
            }
            let vendor = match &id[..] {
                b"GenuineIntel" => Vendor::Intel,
                b"AuthenticAMD" => Vendor::Amd,
                _ => Vendor::Other,
            };
            let mut brand = Vec::with_capacity(48);
            if __cpuid(0x8000_0000).eax >= 0x8000_0004 {
                for leaf in 0x8000_0002..=0x8000_0004u32 {
                    let r = __cpuid(leaf);
                    for v in [r.eax, r.ebx, r.ecx, r.edx] {
                        brand.extend_from_slice(&v.to_le_bytes());
                    }
                }
            }
            let amx = if leaf0.eax >= 7 {
                __cpuid_count(7, 0).edx
            } else {
                0
            };
            (vendor, brand, amx)
        };
        let brand = String::from_utf8_lossy(&brand)
            .trim_matches(char::from(0))
            .trim()
            .to_string();
        CpuFeatures {
            vendor,
            brand,
            avx: std::is_x86_feature_detected!("avx"),
            fma: std::is_x86_feature_detected!("fma"),
            avx512f: std::is_x86_feature_detected!("avx512f"),
            avx512bw: std::is_x86_feature_detected!("avx512bw"),
            avx512bf16: std::is_x86_feature_detected!("avx512bf16"),
            avx512vnni: std::is_x86_feature_detected!("avx512vnni"),
            // CPUID.(EAX=7,ECX=0):EDX bit 22 AMX-BF16, bit 25 AMX-INT8.
            amx_bf16: amx_edx & (1 << 22) != 0,
            amx_int8: amx_edx & (1 << 25) != 0,
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn detect() -> CpuFeatures {
        CpuFeatures {
            vendor: Vendor::Other,
            brand: std::env::consts::ARCH.to_string(),
            avx: false,
            fma: false,
            avx512f: false,
            avx512bw: false,
            avx512bf16: false,
            avx512vnni: false,
            amx_bf16: false,
            amx_int8: false,
        }
    }

    /// The flags our kernels care about that this CPU has, space-separated.
    pub fn flags(&self) -> String {
        [
            ("avx", self.avx),
            ("fma", self.fma),
            ("avx512f", self.avx512f),
            ("avx512bw", self.avx512bw),
            ("avx512_bf16", self.avx512bf16),
            ("avx512_vnni", self.avx512vnni),
            ("amx_bf16", self.amx_bf16),
            ("amx_int8", self.amx_int8),
        ]
        .iter()
        .filter(|(_, has)| *has)
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_agrees_with_the_standard_library() {
        let c = cpu();
        #[cfg(target_arch = "x86_64")]
        {
            assert_eq!(c.avx512f, std::is_x86_feature_detected!("avx512f"));
            assert_eq!(c.avx512bf16, std::is_x86_feature_detected!("avx512bf16"));
        }
        assert!(!c.brand.is_empty());
        assert_eq!(c.flags().contains("avx512f"), c.avx512f);
    }
}
