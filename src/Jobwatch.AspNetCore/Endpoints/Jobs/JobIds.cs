using System.Globalization;
using Jobwatch.AspNetCore.Problems;
using Microsoft.AspNetCore.Http;

namespace Jobwatch.AspNetCore.Endpoints.Jobs;

internal static class JobIds
{
    public static IResult Invalid(long id) => Invalid(id.ToString(CultureInfo.InvariantCulture));

    public static IResult Invalid(string id)
    {
        var digits = id.Length > 0 && id.TrimStart('-', '+').All(char.IsAsciiDigit);
        var why = digits && id.Length > 1 && id[0] != '-' ? "is too large" : "is not a job id";
        return ApiProblems.InvalidParameter("id",
            $"'{Shorten(id)}' {why}: job ids are whole numbers from 1 to {long.MaxValue}, as returned by enqueue and search (e.g. /api/v1/jobs/42).");
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
