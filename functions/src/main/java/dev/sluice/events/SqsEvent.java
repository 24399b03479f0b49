package dev.sluice.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The event Lambda's SQS event source passes to a function, in its exact JSON shape (capitalised
 * {@code Records}, {@code eventSourceARN}).
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html">Using Lambda with
 *     Amazon SQS</a>
 */
public record SqsEvent(@JsonProperty("Records") List<Message> records) {

  public SqsEvent {
    records = records == null ? List.of() : List.copyOf(records);
  }

  /** One SQS message as delivered to Lambda. */
  public record Message(
      String messageId,
      String receiptHandle,
      String body,
      Map<String, String> attributes,
      Map<String, MessageAttribute> messageAttributes,
      String md5OfBody,
      String eventSource,
      @JsonProperty("eventSourceARN") String eventSourceArn,
      String awsRegion) {

    public Message {
      attributes = attributes == null ? Map.of() : attributes;
      messageAttributes = messageAttributes == null ? Map.of() : messageAttributes;
    }

    /** How many times SQS has delivered this message, 1 on the first delivery. */
    public int approximateReceiveCount() {
      String count = attributes.get("ApproximateReceiveCount");
      try {
        return count == null ? 1 : Integer.parseInt(count);
      } catch (NumberFormatException e) {
        return 1;
      }
    }

    /** The FIFO message group, or null on a standard queue. */
    public String messageGroupId() {
      return attributes.get("MessageGroupId");
    }

    /** A string message attribute's value, or null. */
    public String stringAttribute(String name) {
      MessageAttribute attribute = messageAttributes.get(name);
      return attribute == null ? null : attribute.stringValue();
    }
  }

  /** A message attribute in the Lambda event's camel-case form. */
  public record MessageAttribute(String stringValue, String binaryValue, String dataType) {}
}
