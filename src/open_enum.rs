//! Enumerations Linq may extend: the values known today, and an opaque
//! `Other` that keeps any other value as it arrived, so that tomorrow's value
//! decodes and a later version naming it changes no `match` silently.

/// Declares an enumeration Linq may extend: the values known today, and an
/// opaque `Other` that keeps any other value as it arrived.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident / $unknown:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        #[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]
        $(#[$meta])*
        #[serde(from = "String", into = "String")]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the crate does not know, kept as it
            /// arrived ([`as_str`](Self::as_str)). Opaque, so that a later
            /// version naming it does not silently change which `match` arm
            /// runs.
            Other($unknown),
        }

        #[doc = concat!("A [`", stringify!($name), "`] this version of the crate does not name.")]
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub struct $unknown(String);

        /// Server text: escaped and cut.
        impl ::std::fmt::Debug for $unknown {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_tuple(stringify!($unknown))
                    .field(&crate::text::CappedDebug(&self.0, crate::text::SHORT_CHARS))
                    .finish()
            }
        }

        impl $name {
            /// The value as Linq writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )+
                    Self::Other($unknown(other)) => other,
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $( $text => Self::$variant, )+
                    _ => Self::Other($unknown(value)),
                }
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                match value {
                    $name::Other($unknown(other)) => other,
                    known => known.as_str().to_owned(),
                }
            }
        }

        /// The value as Linq writes it; one this crate does not know is
        /// server text, shown escaped and cut ([`as_str`](Self::as_str)
        /// gives it whole).
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::Other($unknown(other)) => ::std::fmt::Display::fmt(
                        &crate::text::shown(other, crate::text::SHORT_CHARS),
                        f,
                    ),
                    known => f.write_str(known.as_str()),
                }
            }
        }
    };
}
pub(crate) use open_enum;
