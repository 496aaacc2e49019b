using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobwatch.Contracts.Monitoring;

/// <summary>
/// Seed 001's timestamps: UTC to the second with a Z (<c>2026-02-15T06:00:00Z</c>), the one form jq's
/// <c>fromdateiso8601</c> accepts, so users' scripts can do date arithmetic on them. Reads any ISO 8601 time.
/// </summary>
public sealed class UtcSecondsJsonConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("Expected an ISO 8601 time."), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
