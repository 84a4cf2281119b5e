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

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(word: String) -> Result<Self, Self::Error> {
                $name::parse(&word).ok_or_else(|| format!("unknown {} '{word}'", $what))
            }
        }
    };
}
