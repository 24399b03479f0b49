package dev.sluice.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.json.Json;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The Lambda SQS event, in the exact shape AWS documents, reads into {@link SqsEvent}. */
class SqsEventFixtureTest {

  @Test
  void transform_whenLambdaSqsEventIsRead_keepsRecordsAndSourceArn() throws IOException {
    SqsEvent event;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/sqs-standard-awsdocs.json")) {
      event = Json.mapper().readValue(in, SqsEvent.class);
    }

    assertThat(event.records()).hasSize(2);
    SqsEvent.Message first = event.records().get(0);
    assertThat(first.messageId()).isEqualTo("059f36b4-87a3-44ab-83d2-661975830a7d");
    assertThat(first.eventSourceArn()).isEqualTo("arn:aws:sqs:us-east-2:123456789012:my-queue");
    assertThat(first.approximateReceiveCount()).isEqualTo(1);
    assertThat(first.messageGroupId()).isNull();
  }
}
