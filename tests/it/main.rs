//! The single integration-test crate: real HTTP servers on 127.0.0.1, real SQLite files, the
//! real binary.

mod alerts;
mod backtest;
mod classifier;
mod cli;
mod cluster;
mod common;
mod config;
mod daemon;
mod desk;
mod docker;
mod faults;
mod garbage;
mod import;
mod operations;
mod pipeline;
mod read_pool;
mod reliability;
mod review;
mod review_web;
mod search;
mod setup;
mod sources;
mod store_suite;
mod weibo;
