package dev.sluice.transform;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.aws.AwsClients;
import dev.sluice.checks.SchemaCheck;
import dev.sluice.checks.Violation;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.definition.InvalidDefinitionException;
import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.EnvelopeCodec;
import dev.sluice.envelope.MalformedEnvelopeException;
import dev.sluice.envelope.MessageAttributes;
import dev.sluice.events.SqsBatchResponse;
import dev.sluice.events.SqsEvent;
import dev.sluice.json.Json;
import dev.sluice.logging.LogContext;
import dev.sluice.queue.MessageTooLargeException;
import dev.sluice.queue.QueueSender;
import dev.sluice.queue.QueueWriteException;
import dev.sluice.settings.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transform step: reads envelopes from the ingest queue, maps each payload with the
 * integration's JSONata mapping, checks it against the target schema, and puts valid records on the
 * deliver queue and everything else, with the reason, on the quarantine queue.
 *
 * <p>Only a record whose write to its destination SQS did not confirm is reported back as a batch
 * item failure (<a
 * href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html">partial batch
 * responses</a>), so SQS redelivers exactly those. On a FIFO source, once a record of a message
 * group fails, the group's later records in the batch are reported as failures too and not
 * processed, which keeps the group's order.
 */
public final class TransformHandler implements RequestStreamHandler {

  /** Value of {@link MessageAttributes#STAGE} on what this step quarantines. */
  public static final String STAGE = "transform";

  private static final Logger LOG = LoggerFactory.getLogger(TransformHandler.class);

  private final Settings settings;
  private final QueueSender sender;
  private final JsonataMapping mapping;
  private final SchemaCheck schemaCheck;
  private final String deliverQueueUrl;
  private final String quarantineQueueUrl;

  /** Used by Lambda: settings from the environment, definitions from the jar. */
  public TransformHandler() {
    this(Settings.fromEnvironment(), DefinitionCatalog.classpath());
  }

  private TransformHandler(Settings settings, DefinitionCatalog catalog) {
    this(settings, catalog, new QueueSender(AwsClients.sqs(settings)));
  }

  /**
   * A handler for the settings' integration; the mapping and schema are compiled here, once.
   *
   * @throws InvalidDefinitionException when the definition, mapping or schema is unusable
   * @throws dev.sluice.settings.InvalidSettingsException when a queue URL is not set
   */
  public TransformHandler(Settings settings, DefinitionCatalog catalog, QueueSender sender) {
    this.settings = settings;
    this.sender = sender;
    this.deliverQueueUrl =
        Settings.required(settings.deliverQueueUrl(), Settings.DELIVER_QUEUE_URL);
    this.quarantineQueueUrl =
        Settings.required(settings.quarantineQueueUrl(), Settings.QUARANTINE_QUEUE_URL);

    String integration = settings.integration();
    IntegrationDefinition definition = catalog.load(integration);
    IntegrationDefinition.Transform transform = definition.transform();
    if (transform == null || transform.mapping() == null || transform.schema() == null) {
      throw new InvalidDefinitionException(
          integration + ": transform.mapping and transform.schema must name files");
    }

    this.mapping =
        JsonataMapping.compile(integration, catalog.file(integration, transform.mapping()));
    this.schemaCheck =
        SchemaCheck.compile(
            integration + "/" + transform.schema(), catalog.file(integration, transform.schema()));
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    SqsEvent event = Json.mapper().readValue(input, SqsEvent.class);

    SqsBatchResponse response = handle(event);

    Json.mapper().writeValue(output, response);
  }

  /** Transforms one batch and names the messages SQS must deliver again. */
  public SqsBatchResponse handle(SqsEvent event) {
    List<Decision> decisions = new ArrayList<>();
    for (SqsEvent.Message record : event.records()) {
      decisions.add(decide(record));
    }

    Set<String> failed = new HashSet<>();
    write(decisions, failed);

    // Report in the batch's order, which is also each group's order on a FIFO source.
    List<String> failures =
        decisions.stream().map(d -> d.record().messageId()).filter(failed::contains).toList();
    return SqsBatchResponse.failing(failures);
  }

  /** Reads, maps and checks one record; no queue is written yet. */
  private Decision decide(SqsEvent.Message record) {
    Envelope envelope;
    try {
      envelope = EnvelopeCodec.read(record.body());
    } catch (MalformedEnvelopeException e) {
      return Decision.unreadable(record, e.getMessage());
    }

    try (LogContext ignored = LogContext.open(envelope)) {
      if (!settings.integration().equals(envelope.integration())) {
        return Decision.quarantine(
            record,
            envelope,
            "envelope belongs to integration "
                + envelope.integration()
                + ", this function serves "
                + settings.integration(),
            "",
            "integration");
      }

      JsonNode mapped;
      try {
        mapped = mapping.apply(envelope.payload());
      } catch (MappingException e) {
        return Decision.quarantine(record, envelope, e.getMessage(), "", "mapping");
      }

      List<Violation> violations = schemaCheck.check(mapped);
      if (!violations.isEmpty()) {
        Violation first = violations.get(0);
        return Decision.quarantine(
            record, envelope, SchemaCheck.reason(violations), first.path(), first.rule());
      }

      Envelope output = forDelivery(envelope, mapped, record);
      if (!QueueSender.fits(output)) {
        // Retrying cannot shrink it, so it is parked with the reason instead of redelivered.
        return Decision.quarantine(
            record,
            envelope,
            "mapped record exceeds the SQS message size of "
                + QueueSender.MAX_MESSAGE_BYTES
                + " bytes",
            "",
            "size");
      }
      return Decision.deliver(record, envelope, output);
    } catch (RuntimeException e) {
      // A defect, not bad data: let SQS redeliver and, after maxReceiveCount, dead-letter it.
      return Decision.error(record, envelope, e.getClass().getSimpleName());
    }
  }

  /**
   * Writes the decisions in rounds: round n holds the n-th record of every message group still in
   * good standing (on a standard queue every record is its own group, so there is one round). Valid
   * records of a round go in one {@code SendMessageBatch}.
   */
  private void write(List<Decision> decisions, Set<String> failed) {
    Map<String, List<Decision>> groups = new LinkedHashMap<>();
    for (Decision decision : decisions) {
      groups.computeIfAbsent(groupOf(decision.record()), g -> new ArrayList<>()).add(decision);
    }

    Set<String> stoppedGroups = new HashSet<>();
    for (int round = 0; ; round++) {
      List<Decision> batch = new ArrayList<>();
      for (Map.Entry<String, List<Decision>> group : groups.entrySet()) {
        if (round < group.getValue().size() && !stoppedGroups.contains(group.getKey())) {
          batch.add(group.getValue().get(round));
        }
      }
      if (batch.isEmpty()) {
        break;
      }

      for (Decision decision : writeRound(batch)) {
        failed.add(decision.record().messageId());
        stoppedGroups.add(groupOf(decision.record()));
      }
    }

    for (List<Decision> group : groups.values()) {
      for (Decision decision : group) {
        String id = decision.record().messageId();
        if (stoppedGroups.contains(groupOf(decision.record()))
            && !decision.written()
            && failed.add(id)) {
          log(decision, "record not processed: an earlier record of its message group failed");
        }
      }
    }
  }

  /** Writes one round and returns the decisions whose write was not confirmed. */
  private List<Decision> writeRound(List<Decision> batch) {
    List<Decision> failures = new ArrayList<>();

    Map<String, Envelope> deliveries = new LinkedHashMap<>();
    Map<String, Decision> byId = new LinkedHashMap<>();
    for (Decision decision : batch) {
      if (decision.kind() == Kind.DELIVER) {
        deliveries.put(decision.record().messageId(), decision.output());
        byId.put(decision.record().messageId(), decision);
      }
    }
    Map<String, String> refused =
        deliveries.isEmpty() ? Map.of() : sender.sendBatch(deliverQueueUrl, deliveries, Map.of());
    for (Decision decision : byId.values()) {
      String reason = refused.get(decision.record().messageId());
      if (reason == null) {
        decision.markWritten();
        log(decision, "record delivered to the deliver queue");
      } else {
        failures.add(decision);
        log(decision, "record not delivered, SQS will redeliver it: " + reason);
      }
    }

    for (Decision decision : batch) {
      if (decision.kind() == Kind.DELIVER) {
        continue;
      }
      if (decision.kind() == Kind.ERROR) {
        failures.add(decision);
        log(decision, "record failed, SQS will redeliver it: " + decision.reason());
        continue;
      }
      if (quarantine(decision)) {
        decision.markWritten();
        log(decision, "record quarantined: " + decision.rule() + " at " + pathOf(decision));
      } else {
        failures.add(decision);
      }
    }
    return failures;
  }

  /** Puts a record on the quarantine queue; false when SQS did not confirm it. */
  private boolean quarantine(Decision decision) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(MessageAttributes.REASON, decision.reason());
    attributes.put(MessageAttributes.STAGE, STAGE);

    try {
      if (decision.kind() == Kind.UNREADABLE) {
        // Not an envelope: keep every byte so that it can be inspected and replayed.
        attributes.put(MessageAttributes.INTEGRATION, settings.integration());
        sender.sendRaw(quarantineQueueUrl, decision.record().body(), attributes);
      } else {
        sender.send(quarantineQueueUrl, decision.input(), attributes);
      }
      return true;
    } catch (QueueWriteException | MessageTooLargeException e) {
      log(decision, "record not quarantined, SQS will redeliver it: " + e.getMessage());
      return false;
    }
  }

  /** The next step's envelope: new message id, the mapped record, this delivery's attempt. */
  private static Envelope forDelivery(Envelope input, JsonNode mapped, SqsEvent.Message record) {
    Envelope next = input.next(UUID.randomUUID().toString(), mapped);
    return new Envelope(
        Envelope.SCHEMA_VERSION,
        next.integration(),
        next.messageId(),
        next.correlationId(),
        next.sourceEventId(),
        next.idempotencyKey(),
        record.approximateReceiveCount(),
        next.triggerTime(),
        next.payload());
  }

  /** A FIFO record's message group, or a group of its own on a standard queue. */
  private static String groupOf(SqsEvent.Message record) {
    String group = record.messageGroupId();
    return group == null ? "message:" + record.messageId() : "group:" + group;
  }

  private static String pathOf(Decision decision) {
    return decision.path().isEmpty() ? "/" : decision.path();
  }

  /** One INFO line per decision, with the envelope's ids in the context; never a value. */
  private void log(Decision decision, String message) {
    Envelope envelope = decision.input();
    String correlationId = envelope == null ? null : envelope.correlationId();
    String messageId = envelope == null ? null : envelope.messageId();
    try (LogContext ignored = LogContext.open(settings.integration(), correlationId, messageId)) {
      LOG.info("{} (sqsMessageId={})", message, decision.record().messageId());
    }
  }

  private enum Kind {
    DELIVER,
    QUARANTINE,
    UNREADABLE,
    ERROR
  }

  /** What to do with one record, decided before any queue is written. */
  private static final class Decision {
    private final SqsEvent.Message record;
    private final Kind kind;
    private final Envelope input;
    private final Envelope output;
    private final String reason;
    private final String path;
    private final String rule;
    private boolean written;

    private Decision(
        SqsEvent.Message record,
        Kind kind,
        Envelope input,
        Envelope output,
        String reason,
        String path,
        String rule) {
      this.record = record;
      this.kind = kind;
      this.input = input;
      this.output = output;
      this.reason = reason;
      this.path = path;
      this.rule = rule;
    }

    static Decision deliver(SqsEvent.Message record, Envelope input, Envelope output) {
      return new Decision(record, Kind.DELIVER, input, output, null, "", "");
    }

    static Decision quarantine(
        SqsEvent.Message record, Envelope input, String reason, String path, String rule) {
      return new Decision(record, Kind.QUARANTINE, input, null, reason, path, rule);
    }

    static Decision unreadable(SqsEvent.Message record, String reason) {
      return new Decision(record, Kind.UNREADABLE, null, null, reason, "", "envelope");
    }

    static Decision error(SqsEvent.Message record, Envelope input, String reason) {
      return new Decision(record, Kind.ERROR, input, null, reason, "", "");
    }

    SqsEvent.Message record() {
      return record;
    }

    Kind kind() {
      return kind;
    }

    Envelope input() {
      return input;
    }

    Envelope output() {
      return output;
    }

    String reason() {
      return reason;
    }

    String path() {
      return path;
    }

    String rule() {
      return rule;
    }

    boolean written() {
      return written;
    }

    void markWritten() {
      written = true;
    }
  }
}
