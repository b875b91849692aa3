//! Reading the stored signal back: `history` (flagged posts and scores per day or week and
//! label) and `backtest` (the first flagged post before and after dated events).

pub mod backtest;
pub mod history;
