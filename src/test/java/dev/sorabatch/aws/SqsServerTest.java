package dev.sorabatch.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The SQS test server against the application's own client settings (the SDK's JSON protocol). */
class SqsServerTest {

    private static SqsServer server;
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        server = new SqsServer().start();
        sqs = TestAws.clients(null, server).sqs();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        server.close();
    }

    @Test
    void sendReceiveRedeliverDelete() {
        String queue = sqs.createQueue(b -> b.queueName("videos-done")).queueUrl();
        assertThat(sqs.getQueueUrl(b -> b.queueName("videos-done")).queueUrl()).isEqualTo(queue);
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{\"batch\":\"b1\"}"));

        Message first = receiveOne(queue);
        assertThat(first.body()).isEqualTo("{\"batch\":\"b1\"}");
        assertThat(first.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1");

        // back on the queue at once, as after a consumer crash once the visibility timeout is over
        sqs.changeMessageVisibility(b -> b.queueUrl(queue).receiptHandle(first.receiptHandle()).visibilityTimeout(0));
        Message second = receiveOne(queue);
        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(second.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2");

        assertThat(count(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isEqualTo(1);
        sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(second.receiptHandle()));
        assertThat(count(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isZero();
        assertThat(count(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isZero();
    }

    @Test
    void legacyAttributeNamesParameterAlsoWorks() {
        String queue = sqs.createQueue(b -> b.queueName("legacy")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x"));
        @SuppressWarnings("deprecation")
        List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(0)
                .attributeNamesWithStrings("ApproximateReceiveCount")).messages();
        assertThat(got).hasSize(1);
        assertThat(got.get(0).attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1");
    }

    private static int count(String queue, QueueAttributeName name) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(name)).attributes().get(name));
    }

    private static Message receiveOne(String queue) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(0).maxNumberOfMessages(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }
}
