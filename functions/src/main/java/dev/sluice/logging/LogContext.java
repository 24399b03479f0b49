package dev.sluice.logging;

import dev.sluice.envelope.Envelope;
import org.slf4j.MDC;

/**
 * Puts the identifiers every log line must carry (integration, correlation id, message id) into the
 * logging context for the duration of one record's processing.
 */
public final class LogContext implements AutoCloseable {

  public static final String INTEGRATION = "integration";
  public static final String CORRELATION_ID = "correlationId";
  public static final String MESSAGE_ID = "messageId";

  private LogContext() {}

  /** Opens a context for one record; close it when the record is done. */
  public static LogContext open(String integration, String correlationId, String messageId) {
    put(INTEGRATION, integration);
    put(CORRELATION_ID, correlationId);
    put(MESSAGE_ID, messageId);
    return new LogContext();
  }

  /** Opens a context from an envelope's identifiers. */
  public static LogContext open(Envelope envelope) {
    return open(envelope.integration(), envelope.correlationId(), envelope.messageId());
  }

  @Override
  public void close() {
    MDC.remove(INTEGRATION);
    MDC.remove(CORRELATION_ID);
    MDC.remove(MESSAGE_ID);
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
