package dev.sorabatch.provider.bedrock;

import java.net.URI;
import java.util.regex.Pattern;

import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/**
 * {@code sora.bedrock.*}: the region and endpoint of Bedrock Runtime, the S3 prefix Bedrock writes the videos to,
 * and whether they are deleted there once stored in the batch layout. Credentials are the AWS default chain's.
 *
 * @param endpoint       endpoint override (a VPC endpoint, a test server); empty = AWS's for the region
 * @param outputBucket   bucket of {@code sora.bedrock.output-uri}
 * @param outputPrefix   its key prefix without a trailing slash, or empty
 */
public record BedrockSettings(String region, String endpoint, String outputBucket, String outputPrefix,
                              boolean deleteAfterFetch) {

    /** The s3Uri pattern of StartAsyncInvoke's {@code s3OutputDataConfig} (aws-sdk-java-v2 bedrockruntime service-2.json). */
    private static final Pattern S3_URI = Pattern.compile("s3://([a-z0-9][.\\-a-z0-9]{1,61}[a-z0-9])(/.*)?");

    public static BedrockSettings from(Settings s) {
        String region = s.text("sora.bedrock.region").strip();
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
            throw new SettingException("sora.bedrock.region", "must be an AWS region such as us-west-2, got '" + region + "'");
        }
        String endpoint = s.text("sora.bedrock.endpoint", "").strip();
        if (!endpoint.isEmpty() && !endpoint.startsWith("https://") && !endpoint.startsWith("http://")) {
            throw new SettingException("sora.bedrock.endpoint", "must be empty or an http(s):// URL, got '" + endpoint + "'");
        }
        String uri = s.text("sora.bedrock.output-uri", "").strip();
        var m = S3_URI.matcher(uri);
        if (!m.matches()) {
            throw new SettingException("sora.bedrock.output-uri", uri.isEmpty()
                    ? "is empty: name the s3://bucket/prefix Bedrock writes the videos to"
                    : "must be s3://bucket/prefix, got '" + uri + "'");
        }
        String prefix = m.group(2) == null ? "" : m.group(2).replaceAll("^/+|/+$", "");
        return new BedrockSettings(region, endpoint, m.group(1), prefix, s.flag("sora.bedrock.delete-after-fetch"));
    }

    /** The endpoint override, or null. */
    URI endpointUri() {
        return endpoint.isEmpty() ? null : URI.create(endpoint);
    }

    /** The s3Uri of one item's create: the configured prefix and the item's create key below it. */
    String outputUri(String itemKey) {
        return "s3://" + outputBucket + "/" + (outputPrefix.isEmpty() ? "" : outputPrefix + "/") + itemKey;
    }
}
