use serde::{Deserialize, Deserializer};

/// Reads `null` as the type's default, for fields GitHub sometimes sends as `null` although
/// a default means the same to a guardian (an empty label list, `false` for `draft`, ...).
/// Pair with `#[serde(default)]` so an absent field is defaulted too.
pub(crate) fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
