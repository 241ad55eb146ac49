/**
 * ASP.NET Core style sessions for any Java web stack: a {@link io.sessionstate.SessionManager} over
 * a store, one {@link io.sessionstate.SessionRequest} per HTTP request, and the {@link
 * io.sessionstate.Session} it loads once and commits once.
 *
 * <h2>The session cookie</h2>
 *
 * <p>The cookie holds {@code <key>.<keyId>.<tag>}: a 128-bit random session key from {@code
 * SecureRandom} in unpadded base64url (22 characters), the id of the {@link
 * io.sessionstate.KeyRing} key that signed it, and the unpadded base64url HMAC-SHA256 of {@code
 * <key>.<keyId>} under a cookie key derived from that secret. A cookie that is malformed, names an
 * unknown or revoked key, or whose tag differs (compared in constant time) is ignored before any
 * store is asked: the request starts a fresh session. The session key is also the store key.
 *
 * <h2>The stored blob, format revisions 1 and 2</h2>
 *
 * <p>All integers are big-endian.
 *
 * <pre>
 * offset  size  field
 * 0       1     format revision: 1, or 2 for a session with its own idle timeout
 * 1       1     flags: bit 0 set when an integrity tag follows; other bits must be 0
 *               -- only when flag bit 0 is set:
 * 2       1     n, the length of the signing key's id, 1..32
 * 3       n     the key id, ASCII
 * 3+n     32    HMAC-SHA256, under the blob key derived from that secret, of
 *               (store key in UTF-8, one zero byte, every byte after this tag)
 *               -- the body:
 *         16    session id, random; {@code Session.id()} is its hex form
 *         8     creation time, milliseconds since the epoch
 *               -- only in revision 2:
 *         8     the session's own idle timeout, milliseconds, &gt; 0
 *         4     entry count c, 0 &lt;= c
 *         c times:
 *           2   key length k, 0..65535
 *           k   key, UTF-8
 *           4   value length v, 0 &lt;= v
 *           v   value
 * </pre>
 *
 * <p>A session that uses the manager's idle timeout is written as revision 1, which every release
 * reads; revision 2 is written only for a session given its own timeout. Both are read.
 *
 * <p>Decoding rejects, before reading further: a blob longer than {@code maxSessionSize} plus the
 * largest tag, an unknown revision or flag, a missing or failing tag while blob integrity is on, a
 * tag by a key not in the ring, a revision 2 idle timeout that is not positive, an entry count
 * larger than the remaining bytes could hold, any length that runs past the end, a key that is not
 * valid UTF-8, a duplicate key, and trailing bytes. No length makes the decoder allocate more than
 * the blob's own size. A rejected blob loads as an empty session, is logged at WARN with a digest
 * of the key, and is reported to {@link io.sessionstate.SessionListener#unreadableData}.
 *
 * <p>{@link io.sessionstate.TempData} keeps its values under one reserved session key, encoded as
 * the entry count and entries above.
 */
@NullMarked
package io.sessionstate;

import org.jspecify.annotations.NullMarked;
