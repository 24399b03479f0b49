package dev.sluice.local.runner;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.sluice.events.SqsBatchResponse;
import dev.sluice.events.SqsEvent;
import dev.sluice.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Does locally what Lambda's SQS event source mapping does in AWS: receives up to a batch of
 * messages, hands them to the handler as the exact Lambda event JSON, deletes the ones the handler
 * did not report in {@code batchItemFailures}, and leaves the others to reappear after the
 * visibility timeout, until the queue's redrive policy moves them to the dead-letter queue.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html">
 *     Handling errors for an SQS event source in Lambda</a>
 */
public final class EventSourceMapping implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventSourceMapping.class);
  private static final int RECEIVE_WAIT_SECONDS = 1;
  private static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(30);

  private final SqsClient sqs;
  private final String queueUrl;
  private final String queueArn;
  private final String functionName;
  private final RequestStreamHandler handler;
  private final int batchSize;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong invocations = new AtomicLong();
  private final Thread poller;

  /** Starts polling {@code queueUrl} for {@code handler}. */
  public EventSourceMapping(
      SqsClient sqs,
      String queueUrl,
      String functionName,
      RequestStreamHandler handler,
      int batchSize) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.queueArn =
        "arn:aws:sqs:us-east-1:000000000000:" + queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    this.functionName = functionName;
    this.handler = handler;
    this.batchSize = batchSize;
    this.poller = new Thread(this::pollUntilClosed, "esm-" + functionName);
    this.poller.setDaemon(true);
    this.poller.start();
  }

  /** How many times the handler has been invoked. */
  public long invocations() {
    return invocations.get();
  }

  @Override
  public void close() {
    running.set(false);
    try {
      poller.join(Duration.ofSeconds(RECEIVE_WAIT_SECONDS + 5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pollUntilClosed() {
    while (running.get()) {
      try {
        List<Message> messages = receive();
        if (!messages.isEmpty()) {
          invoke(messages);
        }
      } catch (SdkException e) {
        if (running.get()) {
          LOG.warn("{}: polling failed, retrying: {}", functionName, e.getMessage());
          pause();
        }
      }
    }
  }

  private List<Message> receive() {
    return sqs.receiveMessage(
            r ->
                r.queueUrl(queueUrl)
                    .maxNumberOfMessages(batchSize)
                    .waitTimeSeconds(RECEIVE_WAIT_SECONDS)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All"))
        .messages();
  }

  private void invoke(List<Message> messages) {
    SqsEvent event = new SqsEvent(messages.stream().map(this::toLambdaRecord).toList());
    Set<String> failed;
    try {
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      invocations.incrementAndGet();
      handler.handleRequest(
          new ByteArrayInputStream(Json.mapper().writeValueAsBytes(event)),
          output,
          new LocalLambdaContext(functionName, FUNCTION_TIMEOUT));
      SqsBatchResponse response =
          Json.mapper().readValue(output.toByteArray(), SqsBatchResponse.class);
      failed =
          response.batchItemFailures().stream()
              .map(SqsBatchResponse.BatchItemFailure::itemIdentifier)
              .collect(Collectors.toSet());
    } catch (Exception e) {
      // As in Lambda, a function error fails the whole batch: every message comes back.
      LOG.error("{}: invocation failed, the batch will be retried: {}", functionName, e.toString());
      return;
    }

    List<DeleteMessageBatchRequestEntry> done =
        messages.stream()
            .filter(message -> !failed.contains(message.messageId()))
            .map(
                message ->
                    DeleteMessageBatchRequestEntry.builder()
                        .id(message.messageId())
                        .receiptHandle(message.receiptHandle())
                        .build())
            .toList();
    if (!done.isEmpty()) {
      var response = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(done));
      response
          .failed()
          .forEach(
              entry ->
                  LOG.warn(
                      "{}: message {} not deleted ({}), it will be seen again",
                      functionName,
                      entry.id(),
                      entry.code()));
    }
  }

  private SqsEvent.Message toLambdaRecord(Message message) {
    Map<String, SqsEvent.MessageAttribute> attributes = new HashMap<>();
    message
        .messageAttributes()
        .forEach(
            (name, value) ->
                attributes.put(
                    name,
                    new SqsEvent.MessageAttribute(
                        value.stringValue(),
                        value.binaryValue() == null
                            ? null
                            : Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()),
                        value.dataType())));
    return new SqsEvent.Message(
        message.messageId(),
        message.receiptHandle(),
        message.body(),
        message.attributesAsStrings(),
        attributes,
        message.md5OfBody(),
        "aws:sqs",
        queueArn,
        "us-east-1");
  }

  private static void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
