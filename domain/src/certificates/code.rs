//! A certificate's code: its claims as a CWT claim set (RFC 8392) — `iss`, `iat`, `exp`, `cti`
//! and one private claim holding the kind, the holder and the facts — signed as a tagged
//! COSE_Sign1 (RFC 9052) with EdDSA over Ed25519, its key named by `kid` in the protected header;
//! then compressed (zlib) and written in Base45 (RFC 9285) after `NC1:`. Reading one back never
//! trusts it: `open` only takes it apart, and `Opened::signed_by` checks the signature with a key
//! the caller found by its id.

use super::{Claims, Kind, PREFIX};
use coset::cbor::value::Value;
use coset::cwt::{ClaimName, ClaimsSet, ClaimsSetBuilder, Timestamp};
use coset::{iana, CborSerializable, CoseSign1, CoseSign1Builder, HeaderBuilder};
use coset::{RegisteredLabelWithPrivate, TaggedCborSerializable};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use std::io::{Read, Write};

/// The private claim (from the range RFC 8392 leaves to private use) that holds what is certified.
pub const CLAIM: i64 = -70_001;
/// The longest code read (a QR code holds at most 4,296 alphanumeric characters).
const CODE_MAX: usize = 4_296;
/// The most a code may inflate to: a certificate is small; a bomb is not read to its end.
const INFLATED_MAX: u64 = 16 * 1024;

/// A key's id: the first 8 bytes of the SHA-256 of its public key (as the EU's `kid` is).
pub fn key_id(public: &VerifyingKey) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(public.as_bytes())[..8].to_vec()
}

/// The key id as text (Base64url, unpadded), as the JWK set and the API name it.
pub fn key_id_text(kid: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(kid)
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn int(i: i64) -> Value {
    Value::Integer(i.into())
}

fn claims_set(claims: &Claims) -> ClaimsSet {
    let facts = claims
        .facts
        .iter()
        .map(|(label, value)| Value::Array(vec![text(label), text(value)]))
        .collect();
    let certified = Value::Map(vec![
        (int(1), text(claims.kind.as_str())),
        (int(2), text(&claims.holder)),
        (int(3), Value::Array(facts)),
    ]);
    let mut set = ClaimsSetBuilder::new()
        .issuer(claims.issuer.clone())
        .issued_at(Timestamp::WholeSeconds(claims.issued_at))
        .cwt_id(claims.number.as_bytes().to_vec())
        .private_claim(CLAIM, certified);
    if let Some(until) = claims.valid_until {
        set = set.expiration_time(Timestamp::WholeSeconds(until));
    }
    set.build()
}

/// Signs `claims` with `key` (named `kid`): the code a QR carries.
pub fn sign(claims: &Claims, key: &SigningKey) -> String {
    let payload = claims_set(claims)
        .to_vec()
        .expect("a claim set always writes as CBOR");
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .key_id(key_id(&key.verifying_key()))
        .build();
    let sign1 = CoseSign1Builder::new()
        .protected(protected)
        .payload(payload)
        .create_signature(b"", |data| key.sign(data).to_bytes().to_vec())
        .build();
    let cose = sign1
        .to_tagged_vec()
        .expect("a COSE_Sign1 always writes as CBOR");
    let mut zlib = ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    zlib.write_all(&cose).expect("writing to memory");
    let compressed = zlib.finish().expect("writing to memory");
    format!("{PREFIX}{}", base45::encode(compressed))
}

/// A code taken apart, its signature not yet checked.
#[derive(Debug)]
pub struct Opened {
    pub key_id: Vec<u8>,
    pub claims: Claims,
    sign1: CoseSign1,
}

impl Opened {
    /// Whether `key` made its signature (with EdDSA, as its header says).
    pub fn signed_by(&self, key: &VerifyingKey) -> bool {
        let eddsa = matches!(
            self.sign1.protected.header.alg,
            Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::EdDSA))
        );
        eddsa
            && self
                .sign1
                .verify_signature(b"", |signature, data| {
                    let signature = Signature::from_slice(signature).map_err(|_| ())?;
                    key.verify(data, &signature).map_err(|_| ())
                })
                .is_ok()
    }
}

/// Takes a code apart (`NC1:` + Base45 of zlib of a tagged COSE_Sign1 of a claim set). None: it
/// is not one (or not one of ours, or damaged past reading).
pub fn open(code: &str) -> Option<Opened> {
    if code.len() > CODE_MAX {
        return None;
    }
    let body = code.strip_prefix(PREFIX)?;
    let compressed = base45::decode(body).ok()?;
    let mut cose = Vec::new();
    ZlibDecoder::new(compressed.as_slice())
        .take(INFLATED_MAX)
        .read_to_end(&mut cose)
        .ok()?;
    let sign1 = CoseSign1::from_tagged_slice(&cose)
        .or_else(|_| CoseSign1::from_slice(&cose))
        .ok()?;
    let key_id = sign1.protected.header.key_id.clone();
    let set = ClaimsSet::from_slice(sign1.payload.as_deref()?).ok()?;
    let claims = claims_of(set)?;
    Some(Opened {
        key_id,
        claims,
        sign1,
    })
}

fn seconds(t: Option<Timestamp>) -> Option<i64> {
    match t? {
        Timestamp::WholeSeconds(s) => Some(s),
        Timestamp::FractionalSeconds(s) => Some(s as i64),
    }
}

fn as_text(v: &Value) -> Option<String> {
    v.as_text().map(str::to_string)
}

fn claims_of(set: ClaimsSet) -> Option<Claims> {
    let certified = set.rest.iter().find_map(|(name, value)| match name {
        ClaimName::PrivateUse(CLAIM) => value.as_map(),
        _ => None,
    })?;
    let field = |n: i64| {
        certified
            .iter()
            .find(|(k, _)| k.as_integer() == Some(n.into()))
            .map(|(_, v)| v)
    };
    let facts = field(3)?
        .as_array()?
        .iter()
        .map(|pair| match pair.as_array()?.as_slice() {
            [label, value] => Some((as_text(label)?, as_text(value)?)),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Claims {
        number: String::from_utf8(set.cwt_id?).ok()?,
        kind: Kind::parse(field(1)?.as_text()?)?,
        issuer: set.issuer?,
        holder: as_text(field(2)?)?,
        facts,
        issued_at: seconds(set.issued_at)?,
        valid_until: seconds(set.expiration_time),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims {
            number: "AP-26-0000045-1".into(),
            kind: Kind::TradeLicence,
            issuer: "Bhubaneswar Municipal Corporation".into(),
            holder: "Priya Das".into(),
            facts: vec![
                ("Name of the business".into(), "Das Tiffin Centre".into()),
                ("Trade".into(), "Eatery or restaurant".into()),
            ],
            issued_at: 1_796_083_200,
            valid_until: Some(1_827_619_200),
        }
    }

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    #[test]
    fn a_signed_code_reads_back_and_verifies_with_its_key_only() {
        let code = sign(&claims(), &key(7));
        assert!(code.starts_with("NC1:"));
        // small enough for a QR code a phone reads easily
        assert!(code.len() < 600, "{}", code.len());
        let opened = open(&code).unwrap();
        assert_eq!(opened.claims, claims());
        assert_eq!(opened.key_id, key_id(&key(7).verifying_key()));
        assert!(opened.signed_by(&key(7).verifying_key()));
        assert!(!opened.signed_by(&key(8).verifying_key()));
    }

    #[test]
    fn a_changed_fact_no_longer_verifies() {
        let code = sign(&claims(), &key(7));
        // re-sign a changed claim set under the original signature: take it apart and swap the
        // payload, as a forger would
        let compressed = base45::decode(code.strip_prefix(PREFIX).unwrap()).unwrap();
        let mut cose = Vec::new();
        ZlibDecoder::new(compressed.as_slice())
            .read_to_end(&mut cose)
            .unwrap();
        let mut sign1 = CoseSign1::from_tagged_slice(&cose).unwrap();
        let mut forged = claims();
        forged.facts[1].1 = "Hardware".into();
        sign1.payload = Some(claims_set(&forged).to_vec().unwrap());
        let mut zlib = ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        zlib.write_all(&sign1.to_tagged_vec().unwrap()).unwrap();
        let tampered = format!("{PREFIX}{}", base45::encode(zlib.finish().unwrap()));
        let opened = open(&tampered).unwrap();
        assert_eq!(opened.claims.facts[1].1, "Hardware");
        assert!(!opened.signed_by(&key(7).verifying_key()));
    }

    #[test]
    fn what_is_not_a_code_is_not_read() {
        let code = sign(&claims(), &key(7));
        for not in [
            "",
            "NC1:",
            "HC1:ABC",
            &code[..code.len() / 2],
            &code.replace("NC1:", "NC1:!"),
        ] {
            assert!(open(not).is_none(), "{not}");
        }
        // a zlib bomb is not inflated past what a certificate can be
        let mut zlib = ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        zlib.write_all(&vec![0u8; 10_000_000]).unwrap();
        let bomb = format!("{PREFIX}{}", base45::encode(zlib.finish().unwrap()));
        assert!(open(&bomb).is_none());
    }
}
