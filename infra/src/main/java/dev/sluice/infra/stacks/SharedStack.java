package dev.sluice.infra.stacks;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * What every integration shares: the customer managed key their queues and the on-call topic are
 * encrypted with (rotated yearly), and the on-call topic their alarms notify.
 */
public final class SharedStack extends Stack {

  private final Key key;
  private final Topic onCallTopic;

  public SharedStack(Construct scope, String id, StackProps props) {
    super(scope, id, props);

    // Kept when the stack is deleted: queues and backups encrypted with it stay readable.
    this.key =
        Key.Builder.create(this, "QueueEncryptionKey")
            .description("Sluice: encrypts the integrations' queues and the on-call topic")
            .enableKeyRotation(true)
            .alias("alias/sluice")
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();

    // CloudWatch publishes alarms to an encrypted topic with its own service principal, which
    // the key policy must allow:
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
    key.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
            .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
            .resources(List.of("*"))
            .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", getAccount())))
            .build());

    this.onCallTopic =
        Topic.Builder.create(this, "OnCallTopic")
            .displayName("Sluice on-call")
            .masterKey(key)
            .enforceSsl(true)
            .build();

    CfnOutput.Builder.create(this, "OnCallTopicArn")
        .description("Subscribe the on-call rota to this topic")
        .value(onCallTopic.getTopicArn())
        .build();
  }

  public Key key() {
    return key;
  }

  public Topic onCallTopic() {
    return onCallTopic;
  }
}
