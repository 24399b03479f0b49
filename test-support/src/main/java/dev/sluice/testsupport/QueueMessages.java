package dev.sluice.testsupport;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** Reads what a queue holds, for tests that assert on where records ended. */
public final class QueueMessages {

  /** Longer than any test takes, so a drained message is not handed out a second time. */
  private static final int VISIBILITY_SECONDS = 30;

  private QueueMessages() {}

  /**
   * Receives every visible message until a receive comes back empty, each message once, with its
   * system and message attributes. The messages stay in the queue, invisible for a while.
   */
  public static List<Message> drain(SqsClient sqs, String queueUrl) {
    List<Message> all = new ArrayList<>();
    while (true) {
      List<Message> batch =
          sqs.receiveMessage(
                  r ->
                      r.queueUrl(queueUrl)
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(1)
                          .visibilityTimeout(VISIBILITY_SECONDS)
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                          .messageAttributeNames("All"))
              .messages();
      if (batch.isEmpty()) {
        return all;
      }
      all.addAll(batch);
    }
  }
}
