//! Moves messages from the dead-letter queue back to the orders queue, after an outage is over.
//!
//! Works with any SQS API (AWS, moto, LocalStack): receive, send, then delete only what was sent,
//! so a message is never lost — at worst a crash in between sends it twice, which the
//! idempotent consumer absorbs.

use anyhow::{Context, bail};
use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{
    DeleteMessageBatchRequestEntry, QueueAttributeName, SendMessageBatchRequestEntry,
};

fn sqs_error<E>(error: aws_sdk_sqs::error::SdkError<E>) -> anyhow::Error
where
    E: std::error::Error + Send + Sync + 'static,
{
    anyhow::anyhow!("{}", aws_sdk_sqs::error::DisplayErrorContext(error))
}

/// The dead-letter queue's URL, from the orders queue's redrive policy.
pub async fn dead_letter_queue_url(client: &Client, queue_url: &str) -> anyhow::Result<String> {
    let attributes = client
        .get_queue_attributes()
        .queue_url(queue_url)
        .attribute_names(QueueAttributeName::RedrivePolicy)
        .send()
        .await
        .map_err(sqs_error)
        .context("reading the orders queue's redrive policy")?;
    let Some(policy) = attributes
        .attributes()
        .and_then(|attributes| attributes.get(&QueueAttributeName::RedrivePolicy))
    else {
        bail!("the orders queue has no redrive policy, so no dead-letter queue");
    };
    let policy: serde_json::Value =
        serde_json::from_str(policy).context("parsing the redrive policy")?;
    let arn = policy["deadLetterTargetArn"]
        .as_str()
        .context("the redrive policy names no deadLetterTargetArn")?;
    // arn:aws:sqs:<region>:<account>:<name>
    let mut parts = arn.rsplitn(2, ':');
    let name = parts.next().context("malformed dead-letter queue ARN")?;
    let account = parts.next().and_then(|rest| rest.rsplit(':').next());
    let mut request = client.get_queue_url().queue_name(name);
    if let Some(account) = account {
        request = request.queue_owner_aws_account_id(account);
    }
    let url = request
        .send()
        .await
        .map_err(sqs_error)
        .with_context(|| format!("looking up the URL of {name}"))?;
    url.queue_url()
        .map(str::to_owned)
        .context("no URL for the dead-letter queue")
}

/// What one redrive did. `failed` messages were not accepted by the orders queue and stay in the
/// dead-letter queue (visible again after a minute) for the next redrive.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RedriveReport {
    /// Messages in the dead-letter queue when the redrive started: the most it moves.
    pub found: usize,
    pub moved: usize,
    pub failed: usize,
}

/// The number of visible messages in `queue_url` now.
async fn visible_messages(client: &Client, queue_url: &str) -> anyhow::Result<usize> {
    let attributes = client
        .get_queue_attributes()
        .queue_url(queue_url)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
        .send()
        .await
        .map_err(sqs_error)
        .context("counting the dead-letter queue's messages")?;
    let count = attributes
        .attributes()
        .and_then(|attributes| attributes.get(&QueueAttributeName::ApproximateNumberOfMessages))
        .context("no message count for the dead-letter queue")?;
    count
        .parse()
        .context("parsing the dead-letter queue's message count")
}

/// Moves from `from` to `to` at most the messages that were in `from` when it started.
///
/// While the cause of the failures persists, moved messages come back to the dead-letter queue
/// within seconds; counting them again would chase its own tail for ever. A message that was
/// already in flight when the count was taken waits for the next redrive.
pub async fn move_messages(client: &Client, from: &str, to: &str) -> anyhow::Result<RedriveReport> {
    let mut report = RedriveReport {
        found: visible_messages(client, from).await?,
        ..RedriveReport::default()
    };
    while report.moved + report.failed < report.found {
        let wanted = (report.found - report.moved - report.failed).min(10);
        let received = client
            .receive_message()
            .queue_url(from)
            .max_number_of_messages(wanted as i32)
            .wait_time_seconds(1)
            // Long enough to send and delete; if this run dies, they reappear in the DLQ.
            .visibility_timeout(60)
            .send()
            .await
            .map_err(sqs_error)
            .context("receiving from the dead-letter queue")?;
        let messages = received.messages();
        if messages.is_empty() {
            break;
        }
        let mut sends = Vec::new();
        for (index, message) in messages.iter().enumerate() {
            sends.push(
                SendMessageBatchRequestEntry::builder()
                    .id(index.to_string())
                    .message_body(message.body().unwrap_or_default())
                    .build()
                    .context("building a send entry")?,
            );
        }
        let sent = client
            .send_message_batch()
            .queue_url(to)
            .set_entries(Some(sends))
            .send()
            .await
            .map_err(sqs_error)
            .context("sending to the orders queue")?;
        for failure in sent.failed() {
            tracing::warn!(
                code = failure.code(),
                message = failure.message().unwrap_or(""),
                "not moved; it stays in the dead-letter queue"
            );
        }
        report.failed += sent.failed().len();
        let mut deletes = Vec::new();
        for entry in sent.successful() {
            let index: usize = entry.id().parse().context("unexpected batch entry id")?;
            if let Some(receipt) = messages
                .get(index)
                .and_then(|message| message.receipt_handle())
            {
                deletes.push(
                    DeleteMessageBatchRequestEntry::builder()
                        .id(entry.id())
                        .receipt_handle(receipt)
                        .build()
                        .context("building a delete entry")?,
                );
            }
        }
        if deletes.is_empty() {
            // The orders queue accepts nothing: stop rather than spin through the rest.
            break;
        }
        report.moved += deletes.len();
        client
            .delete_message_batch()
            .queue_url(from)
            .set_entries(Some(deletes))
            .send()
            .await
            .map_err(sqs_error)
            .context("deleting moved messages from the dead-letter queue")?;
    }
    Ok(report)
}
