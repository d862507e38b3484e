//! woonservice: a REST service for a Dutch neighbourhood home-service scheme.
//!
//! Layers point one way: [`api`] → [`service`] → [`store`] and [`domain`].
//! [`seed`] (demo and generated data) stands beside [`api`]: it calls [`service`],
//! [`store`] and [`domain`], and only the command line ([`cli`]) calls it.

pub mod api;
pub mod cli;
pub mod config;
pub mod desk;
pub mod domain;
pub mod error;
pub mod seed;
pub mod service;
pub mod startup;
pub mod store;
pub mod telemetry;
