package dev.sorabatch.reference;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * Name resolution for fetching {@code input_reference} URLs that refuses a host with any address that is not
 * public: loopback, link-local (and with it the 169.254.169.254 metadata service), private (RFC 1918, unique local
 * fc00::/7, which holds fd00:ec2::254), carrier-grade NAT, unspecified, multicast, documentation and reserved
 * ranges (IANA special-purpose registries, RFC 6890). IPv6 forms that embed an IPv4 address (mapped, compatible,
 * NAT64 64:ff9b::/96, 6to4) are judged by that address. The HTTP client connects only to the addresses returned
 * here, so the address checked is the address used: a name that resolves differently a moment later (DNS
 * rebinding) cannot slip past.
 */
final class PublicAddresses implements DnsResolver {

    private static final List<Block> NOT_PUBLIC = Block.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:2::/48", "2001:10::/28",
            "2001:20::/28", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8");
    /**
     * IPv6 blocks that carry an IPv4 address at a byte offset: compatible (which covers :: and ::1), NAT64, 6to4.
     * Java already represents IPv4-mapped addresses (::ffff:a.b.c.d) as IPv4.
     */
    private static final List<Embedding> EMBEDDING_V4 = List.of(new Embedding(Block.parse("::/96"), 12),
            new Embedding(Block.parse("64:ff9b::/96"), 12), new Embedding(Block.parse("2002::/16"), 2));

    private final Predicate<InetAddress> allowed;

    /** @param allowed which addresses may be connected to; tests of the fetch itself widen it to loopback */
    PublicAddresses(Predicate<InetAddress> allowed) {
        this.allowed = allowed;
    }

    static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Embedding embedding : EMBEDDING_V4) {
            if (embedding.block().contains(bytes)) {
                bytes = Arrays.copyOfRange(bytes, embedding.at(), embedding.at() + 4);
                break;
            }
        }
        byte[] judged = bytes;
        return NOT_PUBLIC.stream().noneMatch(block -> block.contains(judged));
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
        for (InetAddress address : addresses) {
            if (!allowed.test(address)) {
                throw new UnknownHostException(host + " resolves to " + address.getHostAddress()
                        + ", which is not a public address");
            }
        }
        return addresses;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
    }

    private record Embedding(Block block, int at) {
    }

    /** An address block in CIDR notation. */
    private record Block(byte[] prefix, int bits) {

        static List<Block> of(String... cidrs) {
            return Arrays.stream(cidrs).map(Block::parse).toList();
        }

        static Block parse(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                // literals only: no lookup happens
                return new Block(InetAddress.getByName(cidr.substring(0, slash)).getAddress(),
                        Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            if (!Arrays.equals(address, 0, full, prefix, 0, full)) {
                return false;
            }
            int rest = bits % 8;
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return rest == 0 || (address[full] & mask) == (prefix[full] & mask);
        }
    }
}
