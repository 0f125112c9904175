namespace Hanko.Webhooks.Sample.Handlers;

/// <summary>
/// Sends the mails Hanko asks for (passcodes, security notifications), unless Hanko delivered them itself.
/// This sample only logs what it would send — and never the OTP code.
/// </summary>
public sealed class SendPasscodeEmail(ILogger<SendPasscodeEmail> logger) : IHankoEventHandler<EmailSendEvent>
{
    public Task HandleAsync(EmailSendEvent @event, CancellationToken cancellationToken)
    {
        var mail = @event.Email;
        if (mail.DeliveredByHanko)
        {
            logger.LogInformation("[{Event}] {Type} mail to {To}: Hanko sent it already, nothing to do", EventLabel.Of(@event), mail.Type, mail.ToEmailAddress);
            return Task.CompletedTask;
        }

        var what = mail.Data switch
        {
            PasscodeEmailData { OtpCode: not null } passcode => $"a passcode valid until {passcode.ValidUntil:HH:mm:ss}",
            PasscodeEmailData => "a notice without a code",
            SecurityNotificationEmailData notification => $"a security notification ({notification.Template})",
            _ => "a mail of a type this app does not know yet",
        };

        // A real app hands mail.Subject, mail.BodyPlain and mail.Body (HTML) to its mailer here.
        logger.LogInformation("[{Event}] would send {Type} mail to {To}: {What}", EventLabel.Of(@event), mail.Type, mail.ToEmailAddress, what);
        return Task.CompletedTask;
    }
}
