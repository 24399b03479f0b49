package dev.sluice.envelope;

/**
 * Names of the SQS message attributes that carry an envelope's routing fields, so that tools
 * (redrive, dashboards, the local runner) can read them without parsing the body.
 */
public final class MessageAttributes {

  public static final String INTEGRATION = "sluice-integration";
  public static final String MESSAGE_ID = "sluice-message-id";
  public static final String CORRELATION_ID = "sluice-correlation-id";
  public static final String SOURCE_EVENT_ID = "sluice-source-event-id";
  public static final String IDEMPOTENCY_KEY = "sluice-idempotency-key";
  public static final String SCHEMA_VERSION = "sluice-schema-version";

  /** Set on quarantined and dead-lettered messages: why the message stopped there. */
  public static final String REASON = "sluice-reason";

  /** Set on quarantined and dead-lettered messages: the step that stopped it. */
  public static final String STAGE = "sluice-stage";

  private MessageAttributes() {}
}
