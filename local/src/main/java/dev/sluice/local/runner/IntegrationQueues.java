package dev.sluice.local.runner;

import dev.sluice.definition.IntegrationDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The queues of one integration, created the way the CDK app creates them in AWS: each consumer
 * queue has its own dead-letter queue as redrive target, and the quarantine queue holds records
 * that failed the target checks.
 *
 * @param ingest queue the transform step consumes
 * @param ingestDeadLetter redrive target of {@code ingest}
 * @param deliver queue the deliver step consumes
 * @param deliverDeadLetter redrive target of {@code deliver}, also written by deliver directly
 * @param quarantine records that failed validation, with the reason
 * @param poll page tasks of a scheduled integration; null for webhook integrations
 * @param pollDeadLetter redrive target of {@code poll}, also written by poll directly
 */
public record IntegrationQueues(
    String ingest,
    String ingestDeadLetter,
    String deliver,
    String deliverDeadLetter,
    String quarantine,
    String poll,
    String pollDeadLetter) {

  /**
   * Creates (or finds) the queues of an integration. Dead-letter queues are created first: a
   * redrive policy naming a missing queue makes some emulators drop messages silently.
   */
  public static IntegrationQueues create(
      SqsClient sqs, IntegrationDefinition definition, Duration visibilityTimeout) {
    return create(sqs, definition, definition.name(), visibilityTimeout);
  }

  /**
   * Creates (or finds) the queues of an integration under a name prefix of the caller's choice, so
   * that runs against a shared endpoint do not meet each other's queues.
   */
  public static IntegrationQueues create(
      SqsClient sqs, IntegrationDefinition definition, String prefix, Duration visibilityTimeout) {
    int maxReceiveCount = definition.queues().maxReceiveCountOrDefault();
    String retention = String.valueOf(definition.queues().retentionHoursOrDefault() * 3600);

    String ingestDlq = create(sqs, prefix + "-ingest-dlq", Map.of(), retention);
    String deliverDlq = create(sqs, prefix + "-deliver-dlq", Map.of(), retention);
    String quarantine = create(sqs, prefix + "-quarantine", Map.of(), retention);
    String ingest =
        create(
            sqs,
            prefix + "-ingest",
            consumerAttributes(sqs, ingestDlq, maxReceiveCount, visibilityTimeout),
            retention);
    String deliver =
        create(
            sqs,
            prefix + "-deliver",
            consumerAttributes(sqs, deliverDlq, maxReceiveCount, visibilityTimeout),
            retention);
    if (!definition.isScheduled()) {
      return new IntegrationQueues(ingest, ingestDlq, deliver, deliverDlq, quarantine, null, null);
    }
    String pollDlq = create(sqs, prefix + "-poll-dlq", Map.of(), retention);
    String poll =
        create(
            sqs,
            prefix + "-poll",
            consumerAttributes(sqs, pollDlq, maxReceiveCount, visibilityTimeout),
            retention);
    return new IntegrationQueues(ingest, ingestDlq, deliver, deliverDlq, quarantine, poll, pollDlq);
  }

  /** Every queue, consumers first, so none is deleted while it is a redrive target. */
  public List<String> all() {
    return List.of(ingest, deliver, ingestDeadLetter, deliverDeadLetter, quarantine);
  }

  private static Map<QueueAttributeName, String> consumerAttributes(
      SqsClient sqs, String deadLetterUrl, int maxReceiveCount, Duration visibilityTimeout) {
    String deadLetterArn =
        sqs.getQueueAttributes(
                r -> r.queueUrl(deadLetterUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    String redrivePolicy =
        "{\"deadLetterTargetArn\":\""
            + deadLetterArn
            + "\",\"maxReceiveCount\":\""
            + maxReceiveCount
            + "\"}";
    return Map.of(
        QueueAttributeName.REDRIVE_POLICY,
        redrivePolicy,
        QueueAttributeName.VISIBILITY_TIMEOUT,
        String.valueOf(visibilityTimeout.toSeconds()));
  }

  private static String create(
      SqsClient sqs, String name, Map<QueueAttributeName, String> attributes, String retention) {
    var all = new java.util.HashMap<>(attributes);
    all.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, retention);
    return sqs.createQueue(r -> r.queueName(name).attributes(all)).queueUrl();
  }
}
