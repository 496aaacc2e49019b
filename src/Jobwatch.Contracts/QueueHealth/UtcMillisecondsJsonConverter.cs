using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.QueueHealth;

/// <summary>
/// Seeds 000 and 003's timestamps, as JavaScript's <c>toISOString()</c> writes them: UTC to the millisecond with a Z
/// (<c>2024-01-15T10:30:00.000Z</c>). Reads any ISO 8601 time.
/// </summary>
public sealed class UtcMillisecondsJsonConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("Expected an ISO 8601 time."), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
