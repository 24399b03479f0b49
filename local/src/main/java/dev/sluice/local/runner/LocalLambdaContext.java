package dev.sluice.local.runner;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/** The Lambda context a locally driven handler sees: a request id, a name and a deadline. */
final class LocalLambdaContext implements Context {

  private final String functionName;
  private final String requestId = UUID.randomUUID().toString();
  private final Instant deadline;

  LocalLambdaContext(String functionName, Duration timeout) {
    this.functionName = functionName;
    this.deadline = Instant.now().plus(timeout);
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + functionName;
  }

  @Override
  public String getLogStreamName() {
    return "local";
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    return (int) Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
  }

  @Override
  public int getMemoryLimitInMB() {
    return 512;
  }

  @Override
  public LambdaLogger getLogger() {
    var log = LoggerFactory.getLogger(functionName);
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        log.info(message);
      }

      @Override
      public void log(byte[] message) {
        log.info(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}
