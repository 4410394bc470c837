//! How an incident's values that serde cannot store compactly as they are
//! go into the parse cache on disk (see `content::cache`): instants as
//! seconds and nanoseconds, time zones by name, the `extra` map as JSON
//! text. The cache's format (postcard) does not describe itself, so every
//! value here is written as plainly as it is read back.

/// An optional instant as whole seconds and nanoseconds since the epoch:
/// exact, and read back without parsing text.
pub mod optional_timestamp {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes `at`.
    pub fn serialize<S: Serializer>(at: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        at.map(|t| (t.as_second(), t.subsec_nanosecond()))
            .serialize(s)
    }

    /// Reads what [`serialize`] wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        Option::<(i64, i32)>::deserialize(d)?
            .map(|(second, nanosecond)| {
                Timestamp::new(second, nanosecond).map_err(serde::de::Error::custom)
            })
            .transpose()
    }
}

/// A time zone by its IANA name, or as a fixed offset or POSIX rule when
/// it has no name. A cache holds a few zones thousands of times: each
/// name is looked up once per thread.
pub mod zone {
    use std::cell::RefCell;

    use jiff::fmt::temporal::DateTimeParser;
    use jiff::tz::TimeZone;
    use rustc_hash::FxHashMap;
    use serde::{Deserialize, Deserializer, Serializer};

    thread_local! {
        static ZONES: RefCell<FxHashMap<String, TimeZone>> = RefCell::default();
    }

    /// Writes `zone`; fails for a zone with neither a name nor a rule
    /// (one read from `/etc/localtime` alone), which kb never makes.
    pub fn serialize<S: Serializer>(zone: &TimeZone, s: S) -> Result<S::Ok, S::Error> {
        jiff::fmt::serde::tz::required::serialize(zone, s)
    }

    /// Reads what [`serialize`] wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeZone, D::Error> {
        let name = <&str>::deserialize(d)?;
        ZONES.with(|zones| {
            if let Some(zone) = zones.borrow().get(name) {
                return Ok(zone.clone());
            }
            static PARSER: DateTimeParser = DateTimeParser::new();
            let zone = PARSER
                .parse_time_zone(name)
                .map_err(serde::de::Error::custom)?;
            zones.borrow_mut().insert(name.to_owned(), zone.clone());
            Ok(zone)
        })
    }
}

/// The front matter keys kb does not know, as JSON text: their values are
/// of any shape, which only a self-describing format could store as they
/// are.
pub mod extra {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::{Map, Value};

    /// Writes `extra`; an empty map as empty text.
    pub fn serialize<S: Serializer>(extra: &Map<String, Value>, s: S) -> Result<S::Ok, S::Error> {
        if extra.is_empty() {
            return "".serialize(s);
        }
        serde_json::to_string(extra)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }

    /// Reads what [`serialize`] wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
        let text = <&str>::deserialize(d)?;
        if text.is_empty() {
            return Ok(Map::new());
        }
        serde_json::from_str(text).map_err(serde::de::Error::custom)
    }
}
