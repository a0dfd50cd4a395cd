package locale

// Labels are the fixed words of the documents in one language. Templates
// see them as .L; a template set may of course write its own words.
type Labels struct {
	Agenda, Minutes, Contents, FrontPage                          string
	Item, Items, Time, Place, Members, Present, Absent, Apologies string
	OthersPresent, ForItem, MinuteTaker, Note                     string
	RowNote                                                       string // the header of a budget table's note column
	Open, Closed, CaseNumber, DecidedBy, Duration, MinutesShort   string
	Summary, Recommendation, Decision, NotPresent                 string
	Attachment, Attachments, AttachmentList, NoAttachments        string
	Page, Of, Meeting, MeetingOn, Budget, Total                   string
	OverAllocation, Unallocated, Unit, Ungrouped                  string
	StatusGreen, StatusYellow, StatusRed, AtLeast, Below          string // a status column's words: "Grøn", "Gul", "Rød", "mindst", "under"
	KindDecision, KindInformation, KindDiscussion, KindOther      string
	Chair, ViceChair, Member, Substitute, Official, Guest         string
	ItemGuests                                                    string
	Draft, DraftMark, PublicVersion                               string // "Udkast", "UDKAST" (the watermark), "Offentlig udgave"
	Addendum, AddendumAgenda, Dissent                             string // "Tillæg", "Tillægsdagsorden", "Protokoltilførsel"
	SignatureSheet, Decisions                                     string // "Underskriftsblad", "Beslutningsprotokol"
	ApprovedDigitally, NotApproved, At                            string // "Godkendt digitalt", "Ikke godkendt", "kl."
	PageWord, PagesWord                                           string // "side", "sider"
	WithAttachments, PacketNote, NotIncluded                      string // "med bilag"; what the packet's metadata says of the attachments' pages; "ikke vedlagt"
}

var labels = map[Lang]*Labels{
	Danish: {
		Agenda: "Dagsorden", Minutes: "Referat", Contents: "Indholdsfortegnelse", FrontPage: "Forside",
		Item: "Punkt", Items: "Punkter", Time: "Tid", Place: "Sted", Members: "Medlemmer",
		Present: "Til stede", Absent: "Fraværende", Apologies: "Afbud",
		OthersPresent: "Øvrige deltagere", ForItem: "Under pkt.", MinuteTaker: "ref.", Note: "Bemærkninger", RowNote: "Bemærkning",
		Open: "Åben", Closed: "Lukket", CaseNumber: "Sagsnr.", DecidedBy: "Sagen afgøres i",
		Duration: "Tidsramme", MinutesShort: "min.",
		Summary: "Sagsresumé", Recommendation: "Indstilling", Decision: "Beslutning", NotPresent: "Ikke til stede",
		Attachment: "Bilag", Attachments: "Bilag", AttachmentList: "Bilagsliste", NoAttachments: "Ingen bilag",
		Page: "Side", Of: "af", Meeting: "Møde", MeetingOn: "Møde den", Budget: "Budget", Total: "I alt",
		OverAllocation: "Overdisponering", Unallocated: "Ikke disponeret", Unit: "Enhed", Ungrouped: "Øvrige sager",
		StatusGreen: "Grøn", StatusYellow: "Gul", StatusRed: "Rød", AtLeast: "mindst", Below: "under",
		KindDecision: "Beslutningssag", KindInformation: "Orienteringssag", KindDiscussion: "Drøftelsessag", KindOther: "",
		Chair: "formand", ViceChair: "næstformand", Member: "medlem", Substitute: "stedfortræder",
		Official: "embedsmand", Guest: "gæst", ItemGuests: "Deltog under punktet",
		Draft: "Udkast", DraftMark: "UDKAST", PublicVersion: "Offentlig udgave",
		Addendum: "Tillæg", AddendumAgenda: "Tillægsdagsorden", Dissent: "Protokoltilførsel",
		SignatureSheet: "Underskriftsblad", Decisions: "Beslutningsprotokol",
		ApprovedDigitally: "Godkendt digitalt", NotApproved: "Ikke godkendt", At: "kl.",
		PageWord: "side", PagesWord: "sider", WithAttachments: "med bilag", NotIncluded: "ikke vedlagt",
		PacketNote: "bilagenes sider er indsat, som de blev modtaget, og er hverken tagget eller PDF/A",
	},
	English: {
		Agenda: "Agenda", Minutes: "Minutes", Contents: "Contents", FrontPage: "Front page",
		Item: "Item", Items: "Items", Time: "Time", Place: "Place", Members: "Members",
		Present: "Present", Absent: "Absent", Apologies: "Apologies",
		OthersPresent: "Also present", ForItem: "For item", MinuteTaker: "minutes", Note: "Remarks", RowNote: "Note",
		Open: "Open", Closed: "Closed", CaseNumber: "Case no.", DecidedBy: "Decided by",
		Duration: "Time slot", MinutesShort: "min",
		Summary: "Summary", Recommendation: "Recommendation", Decision: "Decision", NotPresent: "Not present",
		Attachment: "Attachment", Attachments: "Attachments", AttachmentList: "List of attachments", NoAttachments: "No attachments",
		Page: "Page", Of: "of", Meeting: "Meeting", MeetingOn: "Meeting on", Budget: "Budget", Total: "Total",
		OverAllocation: "Over-allocation", Unallocated: "Unallocated", Unit: "Unit", Ungrouped: "Other items",
		StatusGreen: "Green", StatusYellow: "Yellow", StatusRed: "Red", AtLeast: "at least", Below: "below",
		KindDecision: "For decision", KindInformation: "For information", KindDiscussion: "For discussion", KindOther: "",
		Chair: "chair", ViceChair: "vice chair", Member: "member", Substitute: "substitute",
		Official: "official", Guest: "guest", ItemGuests: "Attending for this item",
		Draft: "Draft", DraftMark: "DRAFT", PublicVersion: "Public version",
		Addendum: "Addendum", AddendumAgenda: "Supplementary agenda", Dissent: "Statement for the record",
		SignatureSheet: "Signature sheet", Decisions: "Decision record",
		ApprovedDigitally: "Approved digitally", NotApproved: "Not approved", At: "at",
		PageWord: "page", PagesWord: "pages", WithAttachments: "with attachments", NotIncluded: "not included",
		PacketNote: "the attachments' pages are inserted as received, neither tagged nor PDF/A",
	},
}

// Labels returns the words of the language.
func (l Lang) Labels() *Labels { return labels[l] }
