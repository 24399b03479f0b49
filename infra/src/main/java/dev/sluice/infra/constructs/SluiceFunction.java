package dev.sluice.infra.constructs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * One Sluice Lambda function: the deployable jar on arm64 and the newest Java runtime, its own
 * execution role and log group, SnapStart on a published version and the {@value #ALIAS_NAME} alias
 * that event sources and the API call.
 *
 * <p>The role starts empty: it may write to its own log group and gets each further permission
 * through the {@code allow...} methods, one queue, secret or key at a time.
 */
public final class SluiceFunction extends Construct {

  /**
   * Newest Java runtime: the functions are Java 17 bytecode, which it runs unchanged, and cdk-nag
   * (AwsSolutions-L1) asks for the latest runtime of the family.
   */
  public static final Runtime RUNTIME = Runtime.JAVA_25;

  /** Memory of every function unless a step needs more. */
  public static final int DEFAULT_MEMORY_MB = 512;

  /** The alias event sources and the HTTP API invoke; it points at the published version. */
  public static final String ALIAS_NAME = "live";

  /** How long function logs are kept; they carry identifiers and reasons, never payloads. */
  public static final RetentionDays LOG_RETENTION = RetentionDays.ONE_MONTH;

  /** Matches the six random characters Secrets Manager appends to a secret's ARN. */
  static final String SECRET_ARN_SUFFIX = "-??????";

  private final Role role;
  private final LogGroup logGroup;
  private final Function function;
  private final Alias alias;

  /**
   * What the function runs and with which limits.
   *
   * @param description what the function does, shown in the console
   * @param handler the handler class and method in the jar
   * @param jar the deployable jar, deployed as it is
   * @param timeout the function timeout
   * @param reservedConcurrency the most instances that may run at once
   * @param environment names, URLs and ARNs only, never secret values
   */
  public record Props(
      String description,
      String handler,
      Path jar,
      Duration timeout,
      int reservedConcurrency,
      Map<String, String> environment) {}

  public SluiceFunction(Construct scope, String id, Props props) {
    super(scope, id);

    this.role =
        Role.Builder.create(this, "ExecutionRole")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .description("Runs " + props.description())
            .build();

    // An explicit log group with a retention instead of `logRetention`, which would add a
    // custom-resource function. The log group exists before the function, so the role needs no
    // logs:CreateLogGroup.
    this.logGroup = LogGroup.Builder.create(this, "LogGroup").retention(LOG_RETENTION).build();
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
            .resources(List.of(logGroup.getLogGroupArn()))
            .build());

    // SnapStart applies to published versions only:
    // https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html
    this.function =
        Function.Builder.create(this, "Function")
            .description(props.description())
            .runtime(RUNTIME)
            .architecture(Architecture.ARM_64)
            .memorySize(DEFAULT_MEMORY_MB)
            .timeout(props.timeout())
            .handler(props.handler())
            .code(Code.fromAsset(props.jar().toString()))
            .role(role)
            .logGroup(logGroup)
            .reservedConcurrentExecutions(props.reservedConcurrency())
            .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
            .environment(props.environment())
            .build();

    // The alias below publishes the version SnapStart needs, which CDK cannot see from here.
    Annotations.of(function)
        .acknowledgeWarning(
            "@aws-cdk/aws-lambda:snapStartRequirePublish",
            "the LiveAlias publishes the current version");

    this.alias =
        Alias.Builder.create(this, "LiveAlias")
            .aliasName(ALIAS_NAME)
            .version(function.getCurrentVersion())
            .build();
  }

  /**
   * Lets the function send to {@code queue}, encrypted with {@code key}. An SQS producer needs
   * kms:GenerateDataKey and kms:Decrypt on the queue's key, nothing more:
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
   */
  public void allowSendMessages(IQueue queue, IKey key) {
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("sqs:SendMessage"))
            .resources(List.of(queue.getQueueArn()))
            .build());
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("kms:GenerateDataKey", "kms:Decrypt"))
            .resources(List.of(key.getKeyArn()))
            .build());
  }

  /**
   * Lets the function read the value of exactly this secret. A secret known by name only has a
   * partial ARN: Secrets Manager appends a hyphen and six random characters, which the policy
   * matches with {@code -??????} (no {@code *}, so no other secret whose name starts alike):
   * https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html
   */
  public void allowReadSecret(ISecret secret) {
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("secretsmanager:GetSecretValue"))
            .resources(List.of(exactArn(secret)))
            .build());
  }

  /**
   * Lets the function read exactly this secret and put new versions of it: for the one writer of a
   * secret (the token keeper), never for the workers, which only read it. PutSecretValue moves
   * AWSCURRENT to the new version:
   * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html
   */
  public void allowReadAndWriteSecret(ISecret secret) {
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"))
            .resources(List.of(exactArn(secret)))
            .build());
  }

  private static String exactArn(ISecret secret) {
    return secret.getSecretFullArn() != null
        ? secret.getSecretFullArn()
        : secret.getSecretArn() + SECRET_ARN_SUFFIX;
  }

  public Role role() {
    return role;
  }

  public LogGroup logGroup() {
    return logGroup;
  }

  public Function function() {
    return function;
  }

  public Alias alias() {
    return alias;
  }
}
