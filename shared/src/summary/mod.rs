//! The AI order summary: an SQS consumer that asks the provider for a short operational summary
//! of each committed order and stores it on the order.
//!
//! The parts, one job each:
//! - [`settings`]: what the environment configures (provider, timeouts, back-off, breaker);
//! - [`facts`] and [`rules`]: what is known about an order, and the flags code computes from it;
//! - [`prompt`]: what the provider is told (facts and flags; nothing a customer wrote);
//! - [`provider`] and [`answer`]: the chat-completions call, its error classes, and the checks an
//!   answer passes before it is stored;
//! - [`breaker`]: stops calling a provider that keeps failing, for a cool-down;
//! - [`retry`]: how long a failed message waits before its next receive;
//! - [`store`]: the conditional updates that keep one summary per order;
//! - [`spend`]: tokens and cost per answer, and the UTC day's spend (budget, staff reports);
//! - [`consumer`]: one message from receipt to outcome; [`batch`]: a whole SQS batch;
//! - [`redrive`]: the operator's way back from the dead-letter queue;
//! - [`stuck`]: settles summaries the consumer could not finish (run by `outbox-relay`).

pub mod answer;
pub mod batch;
pub mod breaker;
pub mod consumer;
pub mod facts;
pub mod flags;
pub mod prompt;
pub mod provider;
pub mod redrive;
pub mod retry;
pub mod rules;
pub mod settings;
pub mod spend;
pub mod store;
pub mod stuck;

pub use batch::SummaryFunction;
pub use consumer::{Disposition, SummaryConsumer};
pub use settings::SummarySettings;
