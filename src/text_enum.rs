//! Enums whose variants each have one fixed word: the word they are stored under, sent as, and
//! parsed from. `text_enum!` writes the word once per variant and derives the rest from it, so
//! the serde form, `as_str`, `parse`, `Display` and the database's `TryFrom<String>` agree.

/// ```
/// crm::text_enum! {
///     /// What a note is about.
///     pub enum Topic("topic") { Price = "price", Delivery = "delivery" }
/// }
/// assert_eq!(Topic::ALL, [Topic::Price, Topic::Delivery]);
/// assert_eq!(Topic::parse("delivery"), Some(Topic::Delivery));
/// assert_eq!(Topic::Price.to_string(), "price");
/// assert_eq!(serde_json::to_string(&Topic::Delivery).unwrap(), "\"delivery\"");
/// assert_eq!(Topic::try_from("weather".to_string()), Err("unknown topic 'weather'".into()));
/// ```
/// `ALL`, `as_str`, `parse`, `Display`, `TryFrom<String>` and serde all use the same words.
#[macro_export]
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident($what:literal) {
            $($(#[$variant_meta:meta])* $variant:ident = $text:tt),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        $vis enum $name {
            $($(#[$variant_meta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            /// The variant's word, as stored and sent.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The variant with this word, if any.
            pub fn parse(word: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|v| v.as_str() == word)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::text_enum::TextEnum for $name {
            fn word(self) -> &'static str {
                self.as_str()
            }

            fn from_word(word: &str) -> Option<Self> {
                $name::parse(word)
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(word: String) -> Result<Self, Self::Error> {
                $name::parse(&word).ok_or_else(|| format!("unknown {} '{word}'", $what))
            }
        }
    };
}

/// What every `text_enum!` enum has, for code generic over them (`Word`).
pub trait TextEnum: Copy + 'static {
    fn word(self) -> &'static str;
    fn from_word(word: &str) -> Option<Self>;
}

/// A `text_enum!` argument of a server function that HTTP clients call too: it takes any word,
/// so an unknown one reaches the service, which answers it as the field's 422, where the enum
/// itself would fail to deserialize (a bare 400). Rust callers build it from the enum.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Word<T> {
    word: String,
    #[serde(skip)]
    of: std::marker::PhantomData<fn() -> T>,
}

impl<T: TextEnum> From<T> for Word<T> {
    fn from(value: T) -> Self {
        Word {
            word: value.word().to_string(),
            of: std::marker::PhantomData,
        }
    }
}

impl<T: TextEnum> Word<T> {
    /// The variant, or `None` for a word the enum does not have.
    pub fn parse(&self) -> Option<T> {
        T::from_word(&self.word)
    }
}

#[cfg(test)]
mod tests {
    use super::Word;

    crate::text_enum! {
        enum CallEvent("call event") { Ring = "ring", HangUp = "hang_up" }
    }

    #[test]
    fn a_word_round_trips_and_an_unknown_one_still_deserializes() {
        let ring = Word::from(CallEvent::Ring);
        assert_eq!(
            serde_json::to_string(&ring).expect("serializes"),
            "\"ring\""
        );
        let back: Word<CallEvent> = serde_json::from_str("\"hang_up\"").expect("a string");
        assert_eq!(back.parse(), Some(CallEvent::HangUp));
        let unknown: Word<CallEvent> = serde_json::from_str("\"teleport\"").expect("a string");
        assert_eq!(unknown.parse(), None);
    }
}
