//! Layer compression: detecting it from magic bytes and decompressing in-process
//! (never an external decompressor, SECURITY.md I5), with the zstd window capped (I6).

use std::io::{self, BufRead, BufReader, Read};

use anyhow::{Result, bail};

/// How a layer blob is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// zstd frames may ask for up to 2^27 bytes of window (128 MiB) and no more.
const ZSTD_WINDOW_LOG_MAX: u32 = 27;

impl Compression {
    /// Guesses the compression from the first bytes of a blob.
    pub fn detect(head: &[u8]) -> Result<Compression> {
        Ok(match head {
            [0x1f, 0x8b, ..] => Compression::Gzip,
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Zstd,
            [b'B', b'Z', b'h', ..] => bail!("bzip2-compressed layers are not supported"),
            [0xfd, b'7', b'z', b'X', b'Z', 0, ..] => {
                bail!("xz-compressed layers are not supported")
            }
            _ => Compression::None,
        })
    }

    /// The OCI layer media type for this compression.
    pub fn oci_media_type(self) -> &'static str {
        match self {
            Compression::None => "application/vnd.oci.image.layer.v1.tar",
            Compression::Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
            Compression::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
        }
    }

    /// The compression a layer media type declares, or an error for one berth cannot unpack.
    pub fn from_media_type(media_type: &str) -> Result<Compression> {
        Ok(match media_type {
            "application/vnd.oci.image.layer.v1.tar"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar"
            | "application/vnd.docker.image.rootfs.diff.tar" => Compression::None,
            "application/vnd.oci.image.layer.v1.tar+gzip"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
            | "application/vnd.docker.image.rootfs.diff.tar.gzip"
            | "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip" => Compression::Gzip,
            "application/vnd.oci.image.layer.v1.tar+zstd"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd" => Compression::Zstd,
            other => bail!(crate::error::invalid(format!(
                "unknown layer media type {other:?}"
            ))),
        })
    }
}

/// Returns a reader of the decompressed stream, detecting the compression from `input`.
pub fn decompress<'a, R: Read + 'a>(input: R) -> Result<(Compression, Box<dyn Read + 'a>)> {
    let mut input = BufReader::with_capacity(256 * 1024, input);
    let head = input.fill_buf()?;
    let compression = Compression::detect(head)?;
    let reader: Box<dyn Read + 'a> = match compression {
        Compression::None => Box::new(input),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(input)),
        Compression::Zstd => {
            let mut d = zstd::stream::read::Decoder::with_buffer(input)?;
            d.window_log_max(ZSTD_WINDOW_LOG_MAX)?;
            Box::new(d)
        }
    };
    Ok((compression, reader))
}

/// A reader that fails once more than `limit` bytes come through (I6).
pub struct Capped<R> {
    inner: R,
    left: u64,
    what: &'static str,
}

impl<R> Capped<R> {
    pub fn new(inner: R, limit: u64, what: &'static str) -> Capped<R> {
        Capped {
            inner,
            left: limit,
            what,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // One more byte would be over the cap: probe for it.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(format!(
                    "{} is larger than allowed",
                    self.what
                ))),
            };
        }
        let max = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn detects_and_round_trips_each_compression() {
        let data = b"hello layer".repeat(100);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&data).unwrap();
        let gz = gz.finish().unwrap();
        let zs = zstd::encode_all(&data[..], 3).unwrap();
        for (bytes, want) in [
            (&data[..], Compression::None),
            (&gz[..], Compression::Gzip),
            (&zs[..], Compression::Zstd),
        ] {
            let (c, mut r) = decompress(bytes).unwrap();
            assert_eq!(c, want);
            let mut out = Vec::new();
            r.read_to_end(&mut out).unwrap();
            assert_eq!(out, data);
        }
    }

    #[test]
    fn refuses_unsupported_compressions_and_media_types() {
        assert!(Compression::detect(b"BZh91AY").is_err());
        assert!(Compression::from_media_type("application/x-foo").is_err());
    }

    #[test]
    fn capped_reader_stops_at_limit_plus_one() {
        let mut out = Vec::new();
        assert!(
            Capped::new(&b"12345"[..], 5, "x")
                .read_to_end(&mut out)
                .is_ok()
        );
        out.clear();
        let err = Capped::new(&b"123456"[..], 5, "blob")
            .read_to_end(&mut out)
            .unwrap_err();
        assert!(err.to_string().contains("blob is larger"));
    }
}
