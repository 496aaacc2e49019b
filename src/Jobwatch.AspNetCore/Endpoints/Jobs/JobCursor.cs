using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Jobwatch.Storage;

namespace Jobwatch.AspNetCore.Endpoints.Jobs;

/// <summary>
/// The opaque <c>cursor</c> of <c>GET /api/v1/jobs</c>: a <see cref="JobListCursor"/> and the order it belongs to, with a
/// checksum so an edited or truncated cursor is refused instead of silently starting somewhere else. The checksum is not
/// a secret: a forged cursor can only position a page, which the filters already allow.
/// Layout (base64url): version, order, id (8 bytes), finished_at in .NET ticks (8 bytes, 0 for none), checksum (8 bytes).
/// </summary>
internal static class JobCursor
{
    private const byte Version = 1;
    private const int PayloadLength = 18;
    private const int ChecksumLength = 8;
    private static readonly byte[] Salt = Encoding.ASCII.GetBytes("jobwatch/jobs-cursor/v1");

    public static string Encode(JobListCursor cursor, JobListOrder order)
    {
        Span<byte> bytes = stackalloc byte[PayloadLength + ChecksumLength];
        bytes[0] = Version;
        bytes[1] = (byte)order;
        BinaryPrimitives.WriteInt64BigEndian(bytes[2..], cursor.Id);
        BinaryPrimitives.WriteInt64BigEndian(bytes[10..], cursor.FinishedAt?.UtcTicks ?? 0);
        Checksum(bytes[..PayloadLength], bytes[PayloadLength..]);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The cursor, or why it cannot be used (a sentence for the problem's detail).</summary>
    public static bool TryDecode(string text, JobListOrder order, out JobListCursor? cursor, out string error)
    {
        cursor = null;
        error = "";
        Span<byte> bytes = stackalloc byte[PayloadLength + ChecksumLength];
        if (text.Length > 64 || !Base64Url.IsValid(text, out var length) || length != bytes.Length
            || Base64Url.DecodeFromChars(text, bytes) != bytes.Length
            // Only the canonical spelling: the last character's unused bits must not make a second valid cursor.
            || !string.Equals(Base64Url.EncodeToString(bytes), text, StringComparison.Ordinal))
        {
            error = "The cursor is not one this server issued (it is truncated, edited or from another API). Pass next_cursor from the previous page unchanged, or leave cursor out to start at the first page.";
            return false;
        }
        Span<byte> expected = stackalloc byte[ChecksumLength];
        Checksum(bytes[..PayloadLength], expected);
        if (bytes[0] != Version || !expected.SequenceEqual(bytes[PayloadLength..]))
        {
            error = "The cursor does not check out (it was edited, or comes from another version of the API). Pass next_cursor from the previous page unchanged, or leave cursor out to start at the first page.";
            return false;
        }
        if (bytes[1] != (byte)order)
        {
            error = $"The cursor belongs to order={Name((JobListOrder)bytes[1])}, not order={Name(order)}. Keep the order of the search the cursor came from, or leave cursor out to start over.";
            return false;
        }
        var id = BinaryPrimitives.ReadInt64BigEndian(bytes[2..]);
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes[10..]);
        if (id < 1 || ticks < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            error = "The cursor holds an impossible position. Pass next_cursor from the previous page unchanged, or leave cursor out to start at the first page.";
            return false;
        }
        cursor = new JobListCursor(id, ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero));
        return true;
    }

    public static string Name(JobListOrder order) => order switch
    {
        JobListOrder.Newest => Contracts.Jobs.JobSearchParameters.OrderNewest,
        JobListOrder.RecentlyFinished => Contracts.Jobs.JobSearchParameters.OrderRecentlyFinished,
        _ => ((int)order).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static void Checksum(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[Salt.Length + payload.Length];
        Salt.CopyTo(input);
        payload.CopyTo(input[Salt.Length..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);
        hash[..destination.Length].CopyTo(destination);
    }
}
