package dev.sorabatch.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PublicAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "::1", "0.0.0.0", "::", "10.0.0.1", "172.16.0.1",
            "172.31.255.255", "192.168.1.1", "100.64.0.1", "100.127.255.255", "169.254.169.254", "169.254.0.1",
            "fd00:ec2::254", "fc00::1", "fe80::1", "fec0::1", "224.0.0.1", "ff02::1", "255.255.255.255", "240.0.0.1",
            "192.0.2.10", "198.51.100.1", "203.0.113.9", "198.18.0.1", "192.0.0.192", "100.100.100.200",
            "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::10.0.0.1", "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::", "2002:a9fe:a9fe::1", "2001::1", "2001:db8::1", "64:ff9b:1::1"})
    void addressesThatAreNotPublicAreRefused(String literal) throws UnknownHostException {
        assertThat(PublicAddresses.isPublic(InetAddress.getByName(literal))).as(literal).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.215.14", "172.15.255.255", "172.32.0.1", "100.63.255.255",
            "100.128.0.1", "169.253.255.255", "192.169.0.1", "11.0.0.1", "2606:4700:4700::1111", "2a00:1450:4001::200e",
            "64:ff9b::8.8.8.8", "2002:808:808::1", "::ffff:8.8.8.8"})
    void publicAddressesAreAllowed(String literal) throws UnknownHostException {
        assertThat(PublicAddresses.isPublic(InetAddress.getByName(literal))).as(literal).isTrue();
    }

    @Test
    void aNameThatResolvesToAnAddressThatIsNotPublicIsNotResolved() throws UnknownHostException {
        PublicAddresses dns = new PublicAddresses(PublicAddresses::isPublic);
        assertThatThrownBy(() -> dns.resolve("localhost")).isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("not a public address");
        assertThatThrownBy(() -> dns.resolve("127.0.0.1")).isInstanceOf(UnknownHostException.class);
        assertThat(dns.resolve("8.8.8.8")).containsExactly(InetAddress.getByName("8.8.8.8")); // a literal: no lookup
    }
}
