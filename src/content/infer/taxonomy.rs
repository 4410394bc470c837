//! Services and causes a postmortem's text names, inferred conservatively:
//! a service only when site.toml has a registry (`[services.NAME]`, its
//! name or an alias written as whole words in the summary, impact or root
//! cause), a cause only from the root cause's own words: the site's
//! `[causes.NAME]` registry (name and aliases), else a small vocabulary
//! ([`CAUSES`]). Nothing here ever overrides what a file states.

use super::Inference;
use crate::config::Config;

/// The cause vocabulary: a cause's slug and the phrases that name it.
pub const CAUSES: [(&str, &[&str]); 9] = [
    (
        "memory-leak",
        &[
            "memory leak",
            "leaking memory",
            "leaked memory",
            "leaks memory",
        ],
    ),
    (
        "bad-deploy",
        &[
            "bad deploy",
            "faulty deploy",
            "faulty release",
            "bad release",
            "buggy release",
            "broken release",
            "broken deploy",
            "defective release",
        ],
    ),
    (
        "config-change",
        &[
            "config change",
            "configuration change",
            "misconfiguration",
            "misconfigured",
            "config push",
            "wrong configuration",
        ],
    ),
    (
        "certificate-expiry",
        &[
            "certificate expired",
            "certificates expired",
            "expired certificate",
            "certificate expiry",
            "cert expired",
            "expired cert",
            "certificate had expired",
        ],
    ),
    ("dns", &["dns"]),
    (
        "capacity",
        &[
            "out of capacity",
            "capacity exhausted",
            "insufficient capacity",
            "ran out of capacity",
            "capacity limit",
            "under-provisioned",
            "underprovisioned",
        ],
    ),
    (
        "disk-full",
        &["disk full", "full disk", "disk filled", "no space left"],
    ),
    (
        "dependency-failure",
        &[
            "third-party outage",
            "third party outage",
            "upstream outage",
            "provider outage",
            "vendor outage",
            "dependency failure",
            "upstream provider",
        ],
    ),
    (
        "database-lock",
        &["lock contention", "deadlock", "table lock", "locked table"],
    ),
];

/// Whether `text` (lower case) has `phrase` as whole words.
fn names(text: &str, phrase: &str) -> bool {
    let phrase = phrase.to_lowercase();
    text.match_indices(&phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The causes the root cause text names: the site's registry first, else
/// the vocabulary.
pub fn causes(root_cause: &str, config: &Config) -> Vec<String> {
    let text = root_cause.to_lowercase();
    let registry: Vec<String> = config
        .causes
        .iter()
        .filter(|(key, c)| {
            std::iter::once(key.replace('-', " "))
                .chain(c.name.clone())
                .chain(c.aliases.iter().map(|a| a.replace('-', " ")))
                .any(|n| names(&text, &n))
        })
        .map(|(key, _)| key.clone())
        .collect();
    if !registry.is_empty() {
        return registry;
    }
    CAUSES
        .iter()
        .filter(|(_, phrases)| phrases.iter().any(|p| names(&text, p)))
        .map(|(slug, _)| (*slug).to_owned())
        .collect()
}

/// The registry's services that `text` names.
pub fn services(text: &str, config: &Config) -> Vec<String> {
    let text = text.to_lowercase();
    config
        .services
        .iter()
        .filter(|(key, s)| {
            std::iter::once((*key).clone())
                .chain(s.name.clone())
                .chain(s.aliases.iter().cloned())
                .any(|n| names(&text, &n))
        })
        .map(|(key, _)| key.clone())
        .collect()
}

/// Sets the causes the inferred root cause names, and the registry's
/// services the lines `named` (summary, impact) name, each with its fact.
pub fn infer(config: &Config, named: &[(usize, &str)], out: &mut Inference) {
    if let Some(cause) = out.facts.iter().find(|f| f.field == "root_cause").cloned() {
        let found = causes(&cause.value, config);
        if !found.is_empty() {
            let source = format!("the words of the root cause ({})", cause.source);
            out.fact("causes", found.join(", "), cause.line, &source);
            out.causes = found;
        }
    }
    if !out.services.is_empty() || config.services.is_empty() {
        return;
    }
    for &(line, text) in named {
        for service in services(text, config) {
            if !out.services.contains(&service) {
                out.fact(
                    "services",
                    service.clone(),
                    line,
                    "the services registry of site.toml",
                );
                out.services.push(service);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_from_the_vocabulary() {
        let config = Config::default();
        let seed =
            "An unexpected spike in traffic triggered a memory leak in the web server's process.";
        assert_eq!(causes(seed, &config), ["memory-leak"]);
        assert_eq!(
            causes("The TLS certificate expired; DNS was fine.", &config),
            ["certificate-expiry", "dns"]
        );
        assert!(causes("Nobody knows yet.", &config).is_empty());
        assert!(causes("The ADNS team", &config).is_empty());
    }

    #[test]
    fn registries_name_services_and_causes() {
        let config = Config::parse(
            "[services.checkout]\nname = \"Checkout\"\naliases = [\"cart\"]\n[services.search]\n[causes.bad-deploy]\naliases = [\"broken build\"]\n",
            std::path::Path::new("site.toml"),
        )
        .unwrap();
        assert_eq!(
            services("Users could not pay in the cart.", &config),
            ["checkout"]
        );
        assert!(services("Research was slow", &config).is_empty());
        assert_eq!(causes("A broken build went out.", &config), ["bad-deploy"]);
        assert_eq!(causes("A memory leak.", &config), ["memory-leak"]);
    }
}
