package dev.sluice.infra.constructs;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The public door of an integration: an HTTP API with one throttled route, {@code POST
 * /webhooks/<integration>}, in front of the ingress function, with access logs.
 *
 * <p>The SaaS authenticates by signing the body, which the ingress function checks on the raw
 * bytes; the route itself has no authorizer because the SaaS cannot send one.
 */
public final class WebhookIngress extends Construct {

  /** A warm ingress answers in well under 100 ms; each instance takes about ten requests/s. */
  static final int REQUESTS_PER_SECOND_PER_INSTANCE = 10;

  private final SluiceFunction function;
  private final HttpApi api;
  private final HttpStage stage;
  private final String routePath;

  /**
   * The route and the function behind it.
   *
   * @param integration the integration name, the last segment of the route
   * @param function what the ingress function runs
   */
  public record Props(String integration, SluiceFunction.Props function) {}

  public WebhookIngress(Construct scope, String id, Props props) {
    super(scope, id);

    this.function = new SluiceFunction(this, "Receiver", props.function());
    this.routePath = "/webhooks/" + props.integration();

    // The stage is declared here rather than created by default so that it gets throttling and
    // access logs. Rates follow the function's reserved concurrency: beyond them API Gateway
    // answers 429 and the SaaS retries, instead of Lambda throttling behind a 5xx.
    LogGroup accessLogs =
        LogGroup.Builder.create(this, "AccessLogs").retention(SluiceFunction.LOG_RETENTION).build();
    int rate = props.function().reservedConcurrency() * REQUESTS_PER_SECOND_PER_INSTANCE;
    this.api =
        HttpApi.Builder.create(this, "HttpApi")
            .apiName("sluice-" + props.integration())
            .description("Webhooks of the Sluice integration " + props.integration())
            .createDefaultStage(false)
            .build();
    this.stage =
        api.addStage(
            "DefaultStage",
            HttpStageOptions.builder()
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder().rateLimit(rate).burstLimit(2 * rate).build())
                .accessLogSettings(new AccessLogs(new LogGroupLogDestination(accessLogs)))
                .build());

    List<HttpRoute> routes =
        api.addRoutes(
            AddRoutesOptions.builder()
                .path(routePath)
                .methods(List.of(HttpMethod.POST))
                .integration(new HttpLambdaIntegration("IngressIntegration", function.alias()))
                .build());
    for (HttpRoute route : routes) {
      NagSuppressions.addResourceSuppressions(
          route,
          List.of(
              NagPackSuppression.builder()
                  .id("AwsSolutions-APIG4")
                  .reason(
                      "Webhook senders (Stripe, GitHub, ...) cannot present API Gateway"
                          + " credentials; they sign the body, and the ingress function verifies"
                          + " that signature on the raw bytes before anything is queued.")
                  .build()));
    }
  }

  /** Access log lines: who called which route, and what API Gateway and Lambda answered. */
  private static final class AccessLogs implements IAccessLogSettings {

    private final IAccessLogDestination destination;

    AccessLogs(IAccessLogDestination destination) {
      this.destination = destination;
    }

    @Override
    public IAccessLogDestination getDestination() {
      return destination;
    }

    @Override
    public AccessLogFormat getFormat() {
      // Context variables of HTTP APIs:
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
      return AccessLogFormat.custom(
          "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
              + "\"requestTime\":\"$context.requestTime\",\"routeKey\":\"$context.routeKey\","
              + "\"status\":\"$context.status\",\"responseLength\":\"$context.responseLength\","
              + "\"integrationStatus\":\"$context.integrationStatus\","
              + "\"integrationError\":\"$context.integrationErrorMessage\"}");
    }
  }

  public SluiceFunction function() {
    return function;
  }

  public HttpApi api() {
    return api;
  }

  public HttpStage stage() {
    return stage;
  }

  public String routePath() {
    return routePath;
  }
}
