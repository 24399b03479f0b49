package dev.sluice.queue;

import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.EnvelopeCodec;
import dev.sluice.envelope.MessageAttributes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Puts envelopes on SQS queues with their routing attributes, and counts a message as sent only
 * when SQS confirmed it.
 *
 * <p>Sizes are checked in UTF-8 bytes of the body plus every attribute's name, type and value, as
 * SQS counts them, so an oversized message fails here with a clear error instead of at SQS.
 *
 * <p>A FIFO queue (its URL ends in {@code .fifo}) needs a message group and a de-duplication id on
 * every send. The group is the envelope's correlation id, so what one trigger caused stays in order
 * while other triggers go on. Envelopes moving on to the next step are de-duplicated on their
 * idempotency key, so a webhook the SaaS sends twice within SQS's five-minute window is queued
 * once. Parked messages (quarantine, dead letters) get a fresh id: a record parked again after a
 * redrive must never be dropped as a duplicate. The rules for both ids:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
public final class QueueSender {

  /** SQS's largest message: 256 KiB including attributes. */
  public static final int MAX_MESSAGE_BYTES = 256 * 1024;

  private static final int MAX_BATCH_ENTRIES = 10;
  private static final String STRING = "String";
  private static final String FIFO_SUFFIX = ".fifo";
  private static final String UNREADABLE_GROUP = "unreadable";

  private final SqsClient sqs;

  public QueueSender(SqsClient sqs) {
    this.sqs = sqs;
  }

  /** Whether the envelope, with its routing attributes, is within SQS's message size limit. */
  public static boolean fits(Envelope envelope) {
    return sizeInBytes(EnvelopeCodec.write(envelope), attributes(envelope, Map.of()))
        <= MAX_MESSAGE_BYTES;
  }

  /**
   * Sends one envelope and returns once SQS has accepted it.
   *
   * @param extraAttributes attributes beyond the routing ones (a reason, a stage)
   * @throws MessageTooLargeException when the message exceeds SQS's limit
   * @throws QueueWriteException when SQS did not accept the message
   */
  public String send(String queueUrl, Envelope envelope, Map<String, String> extraAttributes) {
    String body = EnvelopeCodec.write(envelope);
    Map<String, MessageAttributeValue> attributes = attributes(envelope, extraAttributes);
    requireFits(body, attributes);

    SendMessageRequest.Builder request =
        SendMessageRequest.builder()
            .queueUrl(queueUrl)
            .messageBody(body)
            .messageAttributes(attributes);
    if (isFifo(queueUrl)) {
      request
          .messageGroupId(groupId(envelope))
          .messageDeduplicationId(deduplicationId(envelope, extraAttributes));
    }

    try {
      return sqs.sendMessage(request.build()).messageId();
    } catch (SdkException e) {
      throw new QueueWriteException("could not write to queue " + queueName(queueUrl), e);
    }
  }

  /**
   * Sends a body that is not an envelope (a message that could not be read) unchanged, with the
   * given attributes, so that it can be quarantined without losing a byte.
   *
   * @throws QueueWriteException when SQS did not accept the message
   */
  public String sendRaw(String queueUrl, String body, Map<String, String> attributes) {
    Map<String, MessageAttributeValue> values = stringAttributes(attributes);
    SendMessageRequest.Builder request =
        SendMessageRequest.builder().queueUrl(queueUrl).messageBody(body).messageAttributes(values);
    if (isFifo(queueUrl)) {
      // No envelope, so no correlation id: one group per integration, and never de-duplicated.
      String group = attributes.get(MessageAttributes.INTEGRATION);
      request
          .messageGroupId(group == null || group.isEmpty() ? UNREADABLE_GROUP : group)
          .messageDeduplicationId(UUID.randomUUID().toString());
    }

    try {
      return sqs.sendMessage(request.build()).messageId();
    } catch (SdkException e) {
      throw new QueueWriteException("could not write to queue " + queueName(queueUrl), e);
    }
  }

  /**
   * Sends envelopes in batches of up to ten and reports, per caller key, whether SQS confirmed it.
   * A {@code SendMessageBatch} can answer 200 and still list entries as failed: those are reported
   * as failures, never counted as sent.
   *
   * @param envelopes envelopes keyed by the caller's own id (the input message id, say)
   * @return the keys whose envelopes SQS did not confirm, with the reason
   */
  public Map<String, String> sendBatch(
      String queueUrl, Map<String, Envelope> envelopes, Map<String, String> extraAttributes) {
    Map<String, String> failures = new LinkedHashMap<>();
    List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
    Map<String, String> entryIdToKey = new HashMap<>();
    int batchBytes = 0;

    for (Map.Entry<String, Envelope> item : envelopes.entrySet()) {
      String body = EnvelopeCodec.write(item.getValue());
      Map<String, MessageAttributeValue> attributes = attributes(item.getValue(), extraAttributes);
      int size = sizeInBytes(body, attributes);
      if (size > MAX_MESSAGE_BYTES) {
        failures.put(item.getKey(), tooLarge(size).getMessage());
        continue;
      }

      // A batch's total size has the same limit as a single message.
      if (batch.size() == MAX_BATCH_ENTRIES || batchBytes + size > MAX_MESSAGE_BYTES) {
        flush(queueUrl, batch, entryIdToKey, failures);
        batchBytes = 0;
      }

      String entryId = "e" + entryIdToKey.size();
      entryIdToKey.put(entryId, item.getKey());
      SendMessageBatchRequestEntry.Builder entry =
          SendMessageBatchRequestEntry.builder()
              .id(entryId)
              .messageBody(body)
              .messageAttributes(attributes);
      if (isFifo(queueUrl)) {
        entry
            .messageGroupId(groupId(item.getValue()))
            .messageDeduplicationId(deduplicationId(item.getValue(), extraAttributes));
      }
      batch.add(entry.build());
      batchBytes += size;
    }
    flush(queueUrl, batch, entryIdToKey, failures);
    return failures;
  }

  private void flush(
      String queueUrl,
      List<SendMessageBatchRequestEntry> batch,
      Map<String, String> entryIdToKey,
      Map<String, String> failures) {
    if (batch.isEmpty()) {
      return;
    }

    try {
      SendMessageBatchResponse response =
          sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(batch));
      for (BatchResultErrorEntry failed : response.failed()) {
        failures.put(
            entryIdToKey.get(failed.id()),
            "queue " + queueName(queueUrl) + " refused the message: " + failed.code());
      }
    } catch (SdkException e) {
      String reason = "could not write to queue " + queueName(queueUrl) + ": " + describe(e);
      batch.forEach(entry -> failures.put(entryIdToKey.get(entry.id()), reason));
    }
    batch.clear();
  }

  /** FIFO queue names end in {@code .fifo}, and so do their URLs. */
  static boolean isFifo(String queueUrl) {
    return queueUrl.endsWith(FIFO_SUFFIX);
  }

  /** What one trigger caused shares a group: ordered among itself, parallel to the rest. */
  static String groupId(Envelope envelope) {
    return firstPresent(envelope.correlationId(), envelope.messageId());
  }

  /** The idempotency key on the way forward; a fresh id when parking, so nothing is dropped. */
  static String deduplicationId(Envelope envelope, Map<String, String> extraAttributes) {
    if (!extraAttributes.isEmpty()) {
      return UUID.randomUUID().toString();
    }
    return firstPresent(envelope.idempotencyKey(), envelope.messageId());
  }

  private static String firstPresent(String preferred, String fallback) {
    return preferred == null || preferred.isEmpty() ? fallback : preferred;
  }

  /** The routing attributes of an envelope plus the caller's extra ones. */
  static Map<String, MessageAttributeValue> attributes(
      Envelope envelope, Map<String, String> extraAttributes) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put(MessageAttributes.INTEGRATION, envelope.integration());
    values.put(MessageAttributes.MESSAGE_ID, envelope.messageId());
    values.put(MessageAttributes.CORRELATION_ID, envelope.correlationId());
    values.put(MessageAttributes.SOURCE_EVENT_ID, envelope.sourceEventId());
    values.put(MessageAttributes.IDEMPOTENCY_KEY, envelope.idempotencyKey());
    values.put(MessageAttributes.SCHEMA_VERSION, envelope.schemaVersion());
    values.putAll(extraAttributes);
    return stringAttributes(values);
  }

  private static Map<String, MessageAttributeValue> stringAttributes(Map<String, String> values) {
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    values.forEach(
        (name, value) -> {
          // SQS refuses empty attribute values, so absent fields are left out.
          if (value != null && !value.isEmpty()) {
            attributes.put(
                name, MessageAttributeValue.builder().dataType(STRING).stringValue(value).build());
          }
        });
    return attributes;
  }

  /** Size as SQS counts it: UTF-8 bytes of body and of each attribute name, type and value. */
  static int sizeInBytes(String body, Map<String, MessageAttributeValue> attributes) {
    int size = utf8Length(body);
    for (Map.Entry<String, MessageAttributeValue> attribute : attributes.entrySet()) {
      size += utf8Length(attribute.getKey());
      size += utf8Length(attribute.getValue().dataType());
      size += utf8Length(attribute.getValue().stringValue());
    }
    return size;
  }

  private static void requireFits(String body, Map<String, MessageAttributeValue> attributes) {
    int size = sizeInBytes(body, attributes);
    if (size > MAX_MESSAGE_BYTES) {
      throw tooLarge(size);
    }
  }

  private static MessageTooLargeException tooLarge(int size) {
    return new MessageTooLargeException(
        "message is "
            + size
            + " bytes with its attributes; SQS accepts at most "
            + MAX_MESSAGE_BYTES);
  }

  private static int utf8Length(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * The kind of failure without the SDK's message, which can quote the request (and so payload
   * values) when an endpoint echoes it back.
   */
  private static String describe(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      return "HTTP " + service.statusCode() + " " + service.awsErrorDetails().errorCode();
    }
    return e.getClass().getSimpleName();
  }

  private static String queueName(String queueUrl) {
    return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
  }
}
