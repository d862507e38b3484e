//! woonservice: a REST service for a Dutch neighbourhood home-service scheme.
//!
//! Layers point one way: [`api`] → [`service`] → [`store`] and [`domain`].

pub mod api;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod service;
pub mod startup;
pub mod store;
pub mod telemetry;
