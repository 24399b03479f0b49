package dev.sluice.poll;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.sluice.auth.secrets.FileSecretStore;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.EnvelopeCodec;
import dev.sluice.envelope.MessageAttributes;
import dev.sluice.events.ScheduledEvent;
import dev.sluice.events.SqsBatchResponse;
import dev.sluice.events.SqsEvent;
import dev.sluice.json.Json;
import dev.sluice.local.sqs.EmbeddedSqs;
import dev.sluice.queue.QueueSender;
import dev.sluice.settings.Settings;
import dev.sluice.testsupport.QueueMessages;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The poll handler between real queues (ElasticMQ) and a WireMock HubSpot search endpoint, driven
 * as Lambda drives it: the schedule's event, then the poll queue's batches, deleting what the
 * handler did not report as failed.
 */
class PollHandlerQueueTest {

  private static final String INTEGRATION = "demo-poll";
  private static final String SECRET_ID = "sluice/demo-poll/hubspot";
  private static final String SEARCH = "/crm/v3/objects/contacts/search";
  private static final AtomicInteger QUEUES = new AtomicInteger();

  private static EmbeddedSqs embeddedSqs;
  private static SqsClient sqs;

  @TempDir Path folder;

  private WireMockServer hubspot;
  private Path secretsFile;
  private Path definitions;
  private String pollQueue;
  private String ingestQueue;
  private String deadLetterQueue;

  @BeforeAll
  static void startQueues() {
    embeddedSqs = EmbeddedSqs.start();
    sqs =
        SqsClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .endpointOverride(embeddedSqs.endpoint())
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  @AfterAll
  static void stopQueues() {
    sqs.close();
    embeddedSqs.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    hubspot = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    hubspot.start();

    int n = QUEUES.incrementAndGet();
    deadLetterQueue = sqs.createQueue(r -> r.queueName("poll-dlq-" + n)).queueUrl();
    pollQueue = sqs.createQueue(r -> r.queueName("poll-" + n)).queueUrl();
    ingestQueue = sqs.createQueue(r -> r.queueName("ingest-" + n)).queueUrl();

    secretsFile = folder.resolve("local-secrets.json");
    writeAccessToken("at-current");
    definitions = folder.resolve("integrations");
    Files.createDirectories(definitions.resolve(INTEGRATION));
    Files.writeString(
        definitions.resolve(INTEGRATION).resolve("integration.yaml"),
        """
        name: %s
        trigger:
          type: schedule
          schedule: rate(15 minutes)
          overlapMinutes: 5
        source:
          type: hubspot-crm-search
          url: http://127.0.0.1:%d%s
          properties: [email, firstname, lastname, lastmodifieddate]
          pageSize: 2
          auth:
            type: oauth2-refresh-token
            secret: %s
            tokenUrl: https://api.hubapi.com/oauth/v1/token
        target:
          url: https://us21.api.mailchimp.com/3.0/lists/a36b032126/members/{subscriber_hash}
        queues:
          maxReceiveCount: 3
        """
            .formatted(INTEGRATION, hubspot.port(), SEARCH, SECRET_ID));
  }

  @AfterEach
  void stopSource() {
    hubspot.stop();
  }

  @Test
  void schedulerEvent_withDetailAsString_startsTheWindowEndingAtTheScheduledTime()
      throws Exception {
    ScheduledEvent event = fixture("eventbridge-scheduler-event-aws-lambda-java-libs.json");

    handler().schedule(event);

    Envelope task = EnvelopeCodec.read(QueueMessages.drain(sqs, pollQueue).get(0).body());
    // rate(15 minutes) with a 5 minute overlap: 20 minutes back from the event's time.
    assertThat(task.payload().get("from").asText()).isEqualTo("2024-05-07T15:38:34Z");
    assertThat(task.payload().get("to").asText()).isEqualTo("2024-05-07T15:58:34Z");
    assertThat(task.payload().has("after")).isFalse();
  }

  @Test
  void ruleEvent_withDetailAsObject_startsTheSameKindOfWindow() throws Exception {
    ScheduledEvent event = fixture("eventbridge-scheduled-event-rule-aws-lambda-java-libs.json");

    handler().schedule(event);

    Envelope task = EnvelopeCodec.read(QueueMessages.drain(sqs, pollQueue).get(0).body());
    assertThat(task.payload().get("from").asText()).isEqualTo("2020-09-30T15:38:34Z");
    assertThat(task.payload().get("to").asText()).isEqualTo("2020-09-30T15:58:34Z");
  }

  @Test
  void pageTasks_walkEveryPageAndEnqueueEachRecordOnce() throws Exception {
    stubPages();
    PollHandler handler = handler();
    handler.schedule(fixture("eventbridge-scheduler-event-aws-lambda-java-libs.json"));

    drain(handler);

    List<Envelope> records =
        QueueMessages.drain(sqs, ingestQueue).stream()
            .map(message -> EnvelopeCodec.read(message.body()))
            .toList();
    assertThat(records)
        .extracting(envelope -> envelope.payload().get("id").asText())
        .containsExactlyInAnyOrder("101", "102", "103", "104", "105");
    assertThat(records).extracting(Envelope::sourceEventId).doesNotHaveDuplicates();
    assertThat(records)
        .extracting(Envelope::correlationId)
        .containsOnly(records.get(0).correlationId());
    List<LoggedRequest> searches = hubspot.findAll(postRequestedFor(urlEqualTo(SEARCH)));
    assertThat(searches).hasSize(3);
    JsonNode first = Json.mapper().readTree(searches.get(0).getBodyAsString());
    JsonNode filter = first.at("/filterGroups/0/filters/0");
    assertThat(filter.get("propertyName").asText()).isEqualTo("lastmodifieddate");
    assertThat(filter.get("operator").asText()).isEqualTo("BETWEEN");
    assertThat(filter.get("value").asText())
        .isEqualTo(String.valueOf(Instant.parse("2024-05-07T15:38:34Z").toEpochMilli()));
    assertThat(filter.get("highValue").asText())
        .isEqualTo(String.valueOf(Instant.parse("2024-05-07T15:58:34Z").toEpochMilli()));
    assertThat(first.at("/sorts/0/direction").asText()).isEqualTo("ASCENDING");
    assertThat(first.get("limit").asInt()).isEqualTo(2);
    assertThat(searches.get(0).getHeader("Authorization")).isEqualTo("Bearer at-current");
  }

  @Test
  void sourceAnswering401_readsTheSecretAgainOnceAndContinues() throws Exception {
    stubPages();
    hubspot.stubFor(
        post(SEARCH)
            .atPriority(1)
            .withHeader("Authorization", equalTo("Bearer at-old"))
            .willReturn(aResponse().withStatus(401)));
    writeAccessToken("at-old");
    FileSecretStore secrets = new FileSecretStore(secretsFile);
    secrets.secretString(SECRET_ID);
    // The keeper rotates the token after this instance cached the old one.
    writeAccessToken("at-current");
    PollHandler handler = handler(secrets);
    handler.schedule(fixture("eventbridge-scheduler-event-aws-lambda-java-libs.json"));

    drain(handler);

    assertThat(QueueMessages.drain(sqs, ingestQueue)).hasSize(5);
    assertThat(QueueMessages.drain(sqs, deadLetterQueue)).isEmpty();
  }

  @Test
  void failedWindow_endsInTheDeadLetterQueueWithItsReason_andCanBeReplayed() throws Exception {
    hubspot.stubFor(post(SEARCH).willReturn(aResponse().withStatus(502)));
    PollHandler handler = handler();
    handler.schedule(fixture("eventbridge-scheduler-event-aws-lambda-java-libs.json"));

    drain(handler);

    List<Message> parked = QueueMessages.drain(sqs, deadLetterQueue);
    assertThat(parked).hasSize(1);
    assertThat(parked.get(0).messageAttributes().get(MessageAttributes.REASON).stringValue())
        .isEqualTo("source answered 502 on attempt 3 of 3");
    assertThat(parked.get(0).messageAttributes().get(MessageAttributes.STAGE).stringValue())
        .isEqualTo("poll");

    // Replay: the source is back, and the parked task goes back on the poll queue unchanged.
    hubspot.resetAll();
    stubPages();
    sqs.sendMessage(r -> r.queueUrl(pollQueue).messageBody(parked.get(0).body()));
    drain(handler);

    assertThat(QueueMessages.drain(sqs, ingestQueue)).hasSize(5);
  }

  @Test
  void sourceRefusingTheRequest_deadLettersAtOnce() throws Exception {
    hubspot.stubFor(
        post(SEARCH)
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"status\":\"error\",\"message\":\"bad filter\"}")));
    PollHandler handler = handler();
    handler.schedule(fixture("eventbridge-scheduler-event-aws-lambda-java-libs.json"));

    drain(handler);

    assertThat(hubspot.findAll(postRequestedFor(urlEqualTo(SEARCH)))).hasSize(1);
    assertThat(QueueMessages.drain(sqs, deadLetterQueue)).hasSize(1);
  }

  @Test
  void refreshTokenRefused_parksTheWindowAtOnceWithoutCallingTheSource() throws Exception {
    stubPages();
    Files.writeString(
        secretsFile,
        "{\""
            + SECRET_ID
            + "\": {\"client_id\": \"c\", \"client_secret\": \"s\", \"refresh_token\": \"r\","
            + " \"access_token\": \"at-old\", \"refresh_failed\": \"invalid_grant\"}}");
    PollHandler handler = handler();
    handler.schedule(fixture("eventbridge-scheduler-event-aws-lambda-java-libs.json"));

    drain(handler);

    List<Message> parked = QueueMessages.drain(sqs, deadLetterQueue);
    assertThat(parked).hasSize(1);
    assertThat(parked.get(0).messageAttributes().get(MessageAttributes.REASON).stringValue())
        .contains("authorize the app again")
        .doesNotContain("at-old");
    assertThat(hubspot.findAll(postRequestedFor(urlEqualTo(SEARCH)))).isEmpty();
  }

  /** Three pages of HubSpot's search response shape: 2, 2 and 1 contacts. */
  private void stubPages() {
    hubspot.stubFor(
        post(SEARCH)
            .withRequestBody(notContaining("\"after\""))
            .willReturn(page("[" + contact(101) + "," + contact(102) + "]", "2")));
    hubspot.stubFor(
        post(SEARCH)
            .withRequestBody(matchingJsonPath("$.after", equalTo("2")))
            .willReturn(page("[" + contact(103) + "," + contact(104) + "]", "4")));
    hubspot.stubFor(
        post(SEARCH)
            .withRequestBody(matchingJsonPath("$.after", equalTo("4")))
            .willReturn(page("[" + contact(105) + "]", null)));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder page(
      String results, String after) {
    String paging =
        after == null
            ? ""
            : ",\"paging\":{\"next\":{\"after\":\""
                + after
                + "\",\"link\":\"?after="
                + after
                + "\"}}";
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"total\":5,\"results\":" + results + paging + "}");
  }

  private static String contact(int id) {
    return """
        {"id":"%d","properties":{"email":"person%d@example.com","firstname":"Test",\
        "lastname":"Person","lastmodifieddate":"2024-05-07T15:50:00.000Z","hs_object_id":"%d"},\
        "createdAt":"2024-01-17T19:55:04.281Z","updatedAt":"2024-05-07T15:50:00.000Z",\
        "archived":false}"""
        .formatted(id, id, id);
  }

  private PollHandler handler() {
    return handler(new FileSecretStore(secretsFile));
  }

  private PollHandler handler(FileSecretStore secrets) {
    Settings settings =
        Settings.from(
            Map.of(
                Settings.INTEGRATION, INTEGRATION,
                Settings.INGEST_QUEUE_URL, ingestQueue,
                Settings.POLL_QUEUE_URL, pollQueue,
                Settings.DEAD_LETTER_QUEUE_URL, deadLetterQueue));
    return new PollHandler(
        settings,
        DefinitionCatalog.folder(definitions),
        new QueueSender(sqs),
        secrets,
        Clock.systemUTC());
  }

  /** Runs the handler over the poll queue until it is empty, as the event source mapping does. */
  private void drain(PollHandler handler) {
    for (int round = 0; round < 20; round++) {
      List<Message> received =
          sqs.receiveMessage(
                  r ->
                      r.queueUrl(pollQueue)
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(1)
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                          .messageAttributeNames("All"))
              .messages();
      if (received.isEmpty()) {
        return;
      }

      SqsBatchResponse response =
          handler.handle(new SqsEvent(received.stream().map(this::toEvent).toList()));

      Set<String> failed = new HashSet<>();
      response.batchItemFailures().forEach(failure -> failed.add(failure.itemIdentifier()));
      for (Message message : received) {
        if (failed.contains(message.messageId())) {
          sqs.changeMessageVisibility(
              r ->
                  r.queueUrl(pollQueue)
                      .receiptHandle(message.receiptHandle())
                      .visibilityTimeout(0));
        } else {
          sqs.deleteMessage(r -> r.queueUrl(pollQueue).receiptHandle(message.receiptHandle()));
        }
      }
    }
  }

  private SqsEvent.Message toEvent(Message message) {
    Map<String, String> attributes = new LinkedHashMap<>();
    message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
    return new SqsEvent.Message(
        message.messageId(),
        message.receiptHandle(),
        message.body(),
        attributes,
        Map.of(),
        message.md5OfBody(),
        "aws:sqs",
        "arn:aws:sqs:us-east-1:000000000000:poll",
        "us-east-1");
  }

  private ScheduledEvent fixture(String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/fixtures/aws-events/" + name)) {
      return Json.mapper().readValue(in, ScheduledEvent.class);
    }
  }

  private void writeAccessToken(String token) throws Exception {
    Files.writeString(
        secretsFile,
        "{\""
            + SECRET_ID
            + "\": {\"client_id\": \"c\", \"client_secret\": \"s\", \"refresh_token\": \"r\","
            + " \"access_token\": \""
            + token
            + "\"}}");
  }
}
