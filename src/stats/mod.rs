//! Statistics (docs/model.md §8): a path's months folded into years
//! ([`year`]), the mergeable record of many paths ([`paths::PathSet`]) and
//! the per-year [`results`] every report reads, the [`estimate`]s made from
//! per-path values, the parallel [`runner`] that fills a path set, and the
//! [`shard`]s of a run spread over machines.

pub(crate) mod estimate;
pub(crate) mod history;
pub(crate) mod paths;
pub(crate) mod results;
pub(crate) mod runner;
pub(crate) mod shard;
pub(crate) mod year;
