package dev.switchboard.channels;

import java.util.Locale;

/** Who may subscribe to or publish on a channel. */
public enum ChannelAccess {
    /** Anyone connected. */
    PUBLIC,
    /** A client that authenticated (token granting the channel's namespace, or an agent_id + session_id pair). */
    AUTH,
    /**
     * A token granting the channel's namespace, or an agent_id + session_id pair whose values equal the channel's
     * variables of the same name ({@code agents/{agent_id}} is owned by the client whose agent_id is that id).
     */
    OWNER,
    /** Nobody. */
    NONE;

    public static ChannelAccess parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("access must be public|auth|owner|none, got '" + value + "'");
        }
    }
}
