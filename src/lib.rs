//! kb turns a folder of incident postmortems into a static knowledge base.
//!
//! The pipeline, one module a stage: [`content`] loads and parses files into
//! [`model::Incident`]s; [`analysis`] computes what the site shows about them
//! together; [`render`] makes pages; [`site`] runs a whole build in memory;
//! [`output`] writes it to disk atomically. [`cmd`] holds the subcommands.

pub mod analysis;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod git;
pub mod model;
pub mod output;
pub mod render;
pub mod site;
