//! A chart's numbers as an accessible HTML table: a caption, column headers
//! and a header cell per row, values right-aligned.

use crate::render::svg::xml_escape;

/// An HTML table being written.
pub(super) struct Table {
    html: String,
    columns: usize,
}

impl Table {
    /// Starts a table with `caption` and one column header per `headers`.
    pub fn new(caption: &str, headers: &[&str]) -> Table {
        let mut html = format!(
            "<table class=\"chart-table\"><caption>{}</caption><thead><tr>",
            xml_escape(caption)
        );
        for (i, h) in headers.iter().enumerate() {
            let class = if i > 0 { " class=\"num\"" } else { "" };
            html.push_str(&format!("<th scope=\"col\"{class}>{}</th>", xml_escape(h)));
        }
        html.push_str("</tr></thead><tbody>");
        Table {
            html,
            columns: headers.len(),
        }
    }

    /// A row: its header cell (a link when `href` is given) and its values,
    /// already formatted.
    pub fn row<I>(&mut self, label: &str, href: Option<&str>, cells: I)
    where
        I: IntoIterator<Item = String>,
    {
        let label = match href {
            Some(href) => format!("<a href=\"{}\">{}</a>", xml_escape(href), xml_escape(label)),
            None => xml_escape(label),
        };
        self.html
            .push_str(&format!("<tr><th scope=\"row\">{label}</th>"));
        for cell in cells {
            self.html
                .push_str(&format!("<td class=\"num\">{}</td>", xml_escape(&cell)));
        }
        self.html.push_str("</tr>");
    }

    /// The one row of a table without data.
    pub fn empty(&mut self, message: &str) {
        self.html.push_str(&format!(
            "<tr><td colspan=\"{}\">{}</td></tr>",
            self.columns.max(1),
            xml_escape(message)
        ));
    }

    /// The finished `<table>`.
    pub fn finish(mut self) -> String {
        self.html.push_str("</tbody></table>");
        self.html
    }
}
