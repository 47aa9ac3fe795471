//! Support shared by the headless binary's tests and benchmarks.

pub mod load;
