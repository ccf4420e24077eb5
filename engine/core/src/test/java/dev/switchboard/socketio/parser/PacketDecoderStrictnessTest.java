package dev.switchboard.socketio.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacketDecoderStrictnessTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private PacketDecoder decoder() {
        return new PacketDecoder(mapper, 10);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",                          // empty
        "7",                         // unknown type
        "x[]",                       // not a digit
        "2",                         // event without payload
        "2{\"a\":1}",                // event payload not an array
        "2[]",                       // event without name
        "2[{}]",                     // event name not string/number
        "2[\"connect\"]",            // reserved event name
        "2[\"disconnect\",1]",       // reserved event name
        "2[\"a\"",                   // truncated JSON
        "2[\"a\"]xyz",               // trailing garbage
        "2[\"a\"] [1]",              // two JSON values
        "2/chat,[\"a\"",             // truncated with namespace
        "3",                         // ack without payload
        "31{}",                      // ack payload not an array
        "0[]",                       // connect payload not an object
        "0\"tok\"",                  // connect payload a string
        "1{}",                       // disconnect with payload
        "4",                         // connect_error without payload
        "4[1]",                      // connect_error payload an array
        "5[\"a\"]",                  // binary event without attachment count
        "5-[\"a\"]",                 // empty attachment count
        "50-[\"a\"]",                // zero attachments
        "5x-[\"a\"]",                // non-numeric attachment count
        "511-[\"a\"]",               // too many attachments (max 10)
        "5999999999999-[\"a\"]",     // absurd attachment count
        "61",                        // binary ack, no dash
        "21234567890123456[\"a\"]",  // ack id too long
        "2abc",                      // not a namespace, not JSON
        "2[NaN]",                    // not JSON
    })
    void malformedTextIsAParseError(String text) {
        assertThatThrownBy(() -> decoder().decodeText(text)).isInstanceOf(PacketParseException.class);
    }

    @Test
    void deepNestingIsAParseErrorNotAStackOverflow() {
        String deep = "2[\"a\"," + "[".repeat(100_000) + "]".repeat(100_000) + "]";
        assertThatThrownBy(() -> decoder().decodeText(deep)).isInstanceOf(PacketParseException.class);
    }

    @Test
    void attachmentWithoutBinaryPacketIsAParseError() {
        assertThatThrownBy(() -> decoder().decodeBinary(new byte[] {1})).isInstanceOf(PacketParseException.class);
    }

    @Test
    void textWhileWaitingForAttachmentsIsAParseError() throws Exception {
        PacketDecoder d = decoder();
        assertThat(d.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]")).isNull();
        assertThatThrownBy(() -> d.decodeText("2[\"a\"]")).isInstanceOf(PacketParseException.class);
    }

    @Test
    void placeholderOutOfRangeIsAParseError() throws Exception {
        PacketDecoder d = decoder();
        assertThat(d.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":1}]")).isNull();
        assertThatThrownBy(() -> d.decodeBinary(new byte[] {1})).isInstanceOf(PacketParseException.class);
    }

    @Test
    void placeholderWithBadNumIsAParseError() throws Exception {
        for (String num : new String[] {"-1", "0.5", "\"0\"", "null"}) {
            PacketDecoder d = decoder();
            assertThat(d.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":" + num + "}]")).isNull();
            assertThatThrownBy(() -> d.decodeBinary(new byte[] {1})).isInstanceOf(PacketParseException.class);
        }
    }

    @Test
    void anAttachmentPlacedTwiceIsAParseError() throws Exception {
        PacketDecoder d = decoder();
        assertThat(d.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0},[{\"_placeholder\":true,\"num\":0}]]")).isNull();
        assertThatThrownBy(() -> d.decodeBinary(new byte[] {1})).isInstanceOf(PacketParseException.class);
    }

    @Test
    void eachAttachmentPlacedOnceAnywhereIsAccepted() throws Exception {
        PacketDecoder d = decoder();
        d.decodeText("52-[\"a\",{\"x\":{\"_placeholder\":true,\"num\":1}},{\"_placeholder\":true,\"num\":0}]");
        assertThat(d.decodeBinary(new byte[] {1})).isNull();
        Packet p = d.decodeBinary(new byte[] {2});
        assertThat(p.data().get(1).get("x").binaryValue()).containsExactly(2);
        assertThat(p.data().get(2).binaryValue()).containsExactly(1);
    }

    @Test
    void moreAttachmentsThanAnnouncedIsAParseError() throws Exception {
        PacketDecoder d = decoder();
        d.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]");
        assertThat(d.decodeBinary(new byte[] {1})).isNotNull();
        assertThatThrownBy(() -> d.decodeBinary(new byte[] {2})).isInstanceOf(PacketParseException.class);
    }

    @Test
    void maxAttachmentsIsConfigurable() throws Exception {
        PacketDecoder d = new PacketDecoder(mapper, 2);
        assertThatThrownBy(() -> d.decodeText("53-[\"a\"]")).isInstanceOf(PacketParseException.class);
        assertThat(new PacketDecoder(mapper, 2).decodeText("52-[\"a\"]")).isNull();
    }

    @Test
    void nonPlaceholderObjectsAreLeftAlone() throws Exception {
        PacketDecoder d = decoder();
        d.decodeText("51-[\"a\",{\"_placeholder\":false,\"num\":0},{\"_placeholder\":true,\"num\":0}]");
        Packet p = d.decodeBinary(new byte[] {4});
        assertThat(p.data().get(1).get("_placeholder").asBoolean()).isFalse();
        assertThat(p.data().get(2).binaryValue()).containsExactly(4);
    }
}
