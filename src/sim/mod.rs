//! The simulator (SPEC §4, §6, §8).
