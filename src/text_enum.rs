//! Enums whose variants each have one fixed word: the word they are stored under, sent as, and
//! parsed from. `text_enum!` writes the word once per variant and derives the rest from it, so
//! the serde form, `as_str`, `parse`, `Display` and the database's `TryFrom<String>` agree.

/// ```ignore
/// text_enum! {
///     /// What a call is about.
///     pub enum RelatedType("related type") { Contact = "contact", Company = "company" }
/// }
/// ```
/// gives `RelatedType::ALL`, `as_str`, `parse`, `Display`, `TryFrom<String>` and serde under the
/// same words.
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

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(word: String) -> Result<Self, Self::Error> {
                $name::parse(&word).ok_or_else(|| format!("unknown {} '{word}'", $what))
            }
        }
    };
}
