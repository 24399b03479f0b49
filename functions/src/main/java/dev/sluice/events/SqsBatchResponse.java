package dev.sluice.events;

import java.util.List;

/**
 * What an SQS-triggered function returns when the event source mapping has {@code
 * ReportBatchItemFailures}: the ids of the messages to be redelivered. Every other message of the
 * batch is deleted.
 */
public record SqsBatchResponse(List<BatchItemFailure> batchItemFailures) {

  public SqsBatchResponse {
    batchItemFailures = List.copyOf(batchItemFailures);
  }

  /** A response naming the given message ids as failed. */
  public static SqsBatchResponse failing(List<String> messageIds) {
    return new SqsBatchResponse(messageIds.stream().map(BatchItemFailure::new).toList());
  }

  /** One message to be redelivered. */
  public record BatchItemFailure(String itemIdentifier) {}
}
