//! Bounds on what a theme's templates may do: every render has a budget of
//! work (minijinja's fuel: about one unit per instruction and per 64 bytes
//! made) and of output bytes. A template that loops too deep or writes
//! without end fails with an error naming it, instead of hanging the build
//! or filling the disk. Pages get fuel in proportion to the site (a page
//! lists at most every incident, action and term); partials rendered once
//! per incident or action get a small fixed budget.
//!
//! Measured with the default theme on a synthetic site of 2,000
//! postmortems (10,300 incidents, actions and terms): the costliest page,
//! /actions/, used 216,000 units (21 per item), the costliest row partial
//! 218, the largest page was 3.3 MB. The budgets leave 20 times that per
//! item, and 200 times for partials.

use minijinja::{Environment, ErrorKind, Value};

use super::theme::Theme;
use crate::diagnostic::{Code, Diagnostic};

/// The most bytes one output file (a page) may have.
pub const MAX_PAGE_BYTES: usize = 256 << 20;

/// The most bytes a partial rendered once per incident or action item (a
/// row of a list) may have.
pub const MAX_FRAGMENT_BYTES: usize = 1 << 20;

/// Every page's fuel, whatever the size of the site.
pub const BASE_FUEL: u64 = 5_000_000;

/// A page's fuel for each incident, action item and term of the site.
pub const FUEL_PER_ITEM: u64 = 500;

/// The fuel of one partial rendered per incident or action item.
pub const FRAGMENT_FUEL: u64 = 50_000;

/// The fuel of one page of a site with `items` incidents, action items
/// and terms.
pub fn page_fuel(items: usize) -> u64 {
    BASE_FUEL.saturating_add(FUEL_PER_ITEM.saturating_mul(items as u64))
}

/// `env` for partials: the same templates, [`FRAGMENT_FUEL`] each.
pub fn fragments(env: &Environment<'static>) -> Environment<'static> {
    let mut env = env.clone();
    env.set_fuel(Some(FRAGMENT_FUEL));
    env
}

/// Renders template `name` with `ctx`, failing when it makes more than
/// `max` bytes or runs out of fuel; errors name the template.
pub fn render(
    env: &Environment<'static>,
    theme: &Theme,
    name: &str,
    ctx: Value,
    max: usize,
) -> Result<String, Diagnostic> {
    let bytes = render_bytes(env, theme, name, ctx, max)?;
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// What the buffer of a page's render starts with: more than most pages
/// make (an incident's page is about 20 kB), so that it seldom grows
/// (growing from empty was a twentieth of the templates' time).
const FIRST_BYTES: usize = 32 << 10;

/// What the buffer of a partial's render starts with: a row of a list is a
/// few hundred bytes.
const FIRST_FRAGMENT_BYTES: usize = 1 << 10;

/// [`render`] as bytes: a page's, written as they are (the template writes
/// text only, in whole pieces, so they are UTF-8).
pub fn render_bytes(
    env: &Environment<'static>,
    theme: &Theme,
    name: &str,
    ctx: Value,
    max: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let template = env
        .get_template(name)
        .map_err(|e| super::template_error(theme, &e))?;
    let mut out = Capped {
        bytes: Vec::with_capacity(if max > MAX_FRAGMENT_BYTES {
            FIRST_BYTES
        } else {
            max.min(FIRST_FRAGMENT_BYTES)
        }),
        max,
        over: false,
    };
    match template.render_captured_to(ctx, &mut out) {
        Ok(_) => Ok(out.bytes),
        Err(_) if out.over => Err(too_large(theme, name, max)),
        Err(e) => Err(super::template_error(theme, &e)),
    }
}

/// The error for template `name` making more than `max` bytes.
fn too_large(theme: &Theme, name: &str, max: usize) -> Diagnostic {
    let path = theme
        .template_paths
        .get(name)
        .cloned()
        .unwrap_or_else(|| name.into());
    Diagnostic::error(
        Code::OutputTooLarge,
        &path,
        format!(
            "template `{name}` made more than {} MB for one file, the most kb writes: does it repeat something without end?",
            max >> 20
        ),
    )
}

/// Whether `e` is running out of fuel.
pub fn is_out_of_fuel(e: &minijinja::Error) -> bool {
    e.kind() == ErrorKind::OutOfFuel
}

/// A buffer that refuses to grow past `max` bytes.
struct Capped {
    bytes: Vec<u8>,
    max: usize,
    over: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.max {
            self.over = true;
            return Err(std::io::Error::other("the output is too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(templates: &[(&str, &str)]) -> Theme {
        let mut theme = Theme::default();
        for (name, source) in templates {
            theme.templates.insert((*name).into(), (*source).into());
            theme
                .template_paths
                .insert((*name).into(), format!("themes/t/templates/{name}").into());
        }
        theme
    }

    fn env(theme: &Theme, fuel: u64) -> Environment<'static> {
        let mut env = super::super::environment(theme).unwrap();
        env.set_fuel(Some(fuel));
        env
    }

    #[test]
    fn a_loop_too_deep_runs_out_of_fuel() {
        let t = theme(&[(
            "x.html",
            "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        )]);
        let e = render(&env(&t, 1_000_000), &t, "x.html", Value::UNDEFINED, 1 << 20).unwrap_err();
        assert_eq!(e.code, "template-out-of-fuel");
        assert_eq!(e.path, std::path::Path::new("themes/t/templates/x.html"));
    }

    #[test]
    fn output_past_the_cap_is_an_error_naming_the_template() {
        // 1,000 x 1,000 bytes = 1 MB, over a cap of 100 kB: the fuel would
        // allow it (1 MB is about 16,000 units).
        let t = theme(&[(
            "big.xml",
            "{% for i in range(1000) %}{{ 'x' * 1000 }}{% endfor %}",
        )]);
        let e = render(
            &env(&t, 10_000_000),
            &t,
            "big.xml",
            Value::UNDEFINED,
            100_000,
        )
        .unwrap_err();
        assert_eq!(e.code, "output-too-large");
        assert!(e.message.contains("big.xml"), "{}", e.message);
        let ok = render(
            &env(&t, 10_000_000),
            &t,
            "big.xml",
            Value::UNDEFINED,
            1 << 20,
        )
        .unwrap();
        assert_eq!(ok.len(), 1_000_000);
    }
}
