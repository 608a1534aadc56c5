StringValues="TrueFalseFull" {
	TRUE,
	FALSE
}

StringValues="YesNoLetter" {
	Y = Yes,
	N = No
}

StringValues="YesNoFull" {
	YES,
	NO
}

StringValues="YesNoFullUnknown" {
	YES,
	NO,
	UNKNOWN
}

StringValues="YesNoFullUndefined" {
YES,
NO,
UNDEFINED
}

StringValues="YesLetter" {
	Y = Yes
}

StringValues="NoLetter" {
	N = No
}

StringValues="YesFull" {
	YES
}

StringValues="NoFull" {
	NO
}

StringValues="Priority" {
	LOW,
	MED,
	HIGH
}

StringValues="SmokingStatus" {
	YES,
	NO,
	UNKNOWN
}

StringValues="Orientation" {
	LANDSCAPE,
	PORTRAIT
}

StringValues="DiagnosticCodingSchemes" {
	ACR = ACR Index for Radiological Diagnosis,
	CE  = CEN ECG Diagnostic Codes,
	E   = Euclides,
	I9  = ICD9,
	I9C = ICD9-CM,
	I10 = ICD10,
	LB  = Local Billing Code,
	RC  = Read Classification,
	SNM = SNOMED,
	S3  = SNOMED III,
	UML = Unified Medical Language
}

StringValues="ProcedureCodeScheme" {
	AS4 = ASTM,
	C4  = CPT-4,
	C5  = CPT-5,
	E   = Euclides,
	FDK = FDA K10,
	HB  = HIBCC,
	ICS = ICCS,
	I9C = ICD-9CM,
	IBT = ISBT,
	IUC = IUPAC/IFCC,
	MCR = Medicare,
	MCD = Madicaid,
	UC  = UCDS,
	JC8 = Japanese Chemistry,
	HI  = Health Outcomes,
	E6  = Euclides Lab Method Codes,
	E7  = Euclides Lab Equipment Codes,
	E5  = Euclides Kind Of Quantity Codes,
	CAS = Chemical Abstract Codes,
	NDC = National Drug Codes,
	W1  = WHO Record Number 6 Digit Drug Codes,
	W2  = WHO Record Number 8 Digit Drug Codes,
	W4  = WHO Record Number With ASTM Extensions,
	WC  = WHO ATC,
	UMD = MDNS
}

StringValues="CodingSchemeDesignatorForSNOMED"	{
	SNM3 = SNOMED
}

StringValues="CodingSchemeDesignatorForSRT"	{
	SRT = SNOMED
}

StringValues="GeneralUnitsCodingSchemeForCG82"	{
	UCUM = Unified Code for Units of Measure
}

StringValues="CodingSchemeUIDForACR" {
	2.16.840.1.113883.6.76 = ACR
}

StringValues="CodingSchemeUIDForASTMSigpurpose" {
	1.2.840.10065.1.12 = ASTM-sigpurpose
}

StringValues="CodingSchemeUIDForC4" {
	2.16.840.1.113883.6.12 = C4
}

StringValues="CodingSchemeUIDForC5" {
	2.16.840.1.113883.6.82 = C5
}

StringValues="CodingSchemeUIDForCD2" {
	2.16.840.1.113883.6.13 = CD2
}

StringValues="CodingSchemeUIDForDCM" {
	1.2.840.10008.2.16.4 = DCM
}

StringValues="CodingSchemeUIDForDCMUID" {
	1.2.840.10008.2.6.1 = DCMUID
}

StringValues="CodingSchemeUIDForHPC" {
	2.16.840.1.113883.6.14 = HPC
}

StringValues="CodingSchemeUIDForI10" {
	2.16.840.1.113883.6.3 = I10
}

StringValues="CodingSchemeUIDForI10P" {
	2.16.840.1.113883.6.4 = I10P
}

StringValues="CodingSchemeUIDForI9" {
	2.16.840.1.113883.6.42 = I9
}

StringValues="CodingSchemeUIDForI9C" {
	2.16.840.1.113883.6.2 = I9C
}

StringValues="CodingSchemeUIDForISO3166_1" {
	2.16.1 = ISO3166_1
}

StringValues="CodingSchemeUIDForISO639_1" {
	2.16.840.1.113883.6.99 = ISO639_1
}

StringValues="CodingSchemeUIDForISO639_2" {
	2.16.840.1.113883.6.100 = ISO639_2
}

StringValues="CodingSchemeUIDForLN" {
	2.16.840.1.113883.6.1 = LN
}

StringValues="CodingSchemeUIDForPOS" {
	2.16.840.1.113883.6.50 = POS
}

StringValues="CodingSchemeUIDForRFC3066" {
	2.16.840.1.113883.6.121 = RFC3066
}

StringValues="CodingSchemeUIDForSNM3" {
	2.16.840.1.113883.6.51 = SNM3
}

StringValues="CodingSchemeUIDForSCT" {
	2.16.840.1.113883.6.96 = SCT
}

StringValues="CodingSchemeUIDForSRT" {
	2.16.840.1.113883.6.96 = SRT
}

StringValues="CodingSchemeUIDForCTV3" {
	2.16.840.1.113883.6.6 = CTV3
}

StringValues="CodingSchemeUIDForUCUM" {
	2.16.840.1.113883.6.8 = UCUM
}
	
StringValues="CodingSchemeUIDForUMLS" {
	2.16.840.1.113883.6.86 = UMLS
}
	
StringValues="CodingSchemeUIDForUPC" {
	2.16.840.1.113883.6.55 = UPC
}

StringValues="MiscellaneousCodingSchemeUIDs"	{
	2.16.840.1.113883.6.76 = ACR,
	1.2.840.10065.1.12 = ASTM-sigpurpose,
	2.16.840.1.113883.6.12 = C4,
	2.16.840.1.113883.6.82 = C5,
	2.16.840.1.113883.6.13 = CD2,
	2.16.840.1.113883.6.6 = CTV3,
	1.2.840.10008.2.16.4 = DCM,
	1.2.840.10008.2.6.1 = DCMUID,
	2.16.840.1.113883.6.14 = HPC,
	2.16.840.1.113883.6.3 = I10,
	2.16.840.1.113883.6.4 = I10P,
	2.16.840.1.113883.6.42 = I9,
	2.16.840.1.113883.6.2 = I9C,
	2.16.1 = ISO3166_1,
	2.16.840.1.113883.6.99 = ISO639_1,
	2.16.840.1.113883.6.100 = ISO639_2,
	1.2.840.10008.2.16.7 = ITIS_TSN,
	2.16.840.1.113883.6.1 = LN,
	1.2.840.10008.2.16.5 = MA,
	1.2.840.10008.2.16.8 = MGI,
	2.16.840.1.113883.3.26.1.1 = NCIt,
	2.16.840.1.113883.6.50 = POS,
	2.16.840.1.113883.6.256 = RADLEX,
	2.16.840.1.113883.6.121 = RFC3066,
	2.16.840.1.113883.6.51 = SNM3,
	2.16.840.1.113883.6.96 = SRT/SCT,
	1.2.840.10008.2.16.6 = UBERON,
	2.16.840.1.113883.6.8 = UCUM,
	2.16.840.1.113883.6.86 = UMLS,
	2.16.840.1.113883.6.55 = UPC,
	1.2.276.0.7230010.3.0.0.1 = 99_OFFIS_DCMTK,
	1.3.6.1.4.1.5962.98.1 = 99PMP,
	1.3.6.1.4.1.5962.98.2 = 99IPCMR,
	1.3.6.1.4.1.43046.3.0.0 = 99QIICR
}

StringValues="MiscellaneousCodingSchemeDesignators"	{
	99_OFFIS_DCMTK = OFFIS DCMTK,
	99QIICR = NCI QIICR Project 3DSlicer BWH,
	99HOLX = Hologic,
	99IHE = IHE Connectathon,
	99PDL-rad = PointDX,
	99GEMS = GE,
	99_MI = Siemens,
	99NMG = Siemens NM,
	99SMS_CTMR = Siemens CT MR,
	99PMSBLUS = Philips Ultrasound,
	99RPH = RadPharm,
	99RPANATLOC = RadPharm anatomical locations,
	99RPH_USERS = RadPharm users,
	99PMP = PixelMed Publishing,
	99PMPMRMF = PixelMed Publishing NEMA MRMF,
	99IPCMR = Imaging Procedure Code Mapping Resource,
	99SDM = SNOMED DICOM Microglossary,
	99NCIAIM = NCI Annotation Imaging Markup,
	99HOLXDXA = Hologic DXA,
	99KINETDX = Siemens Acuson Ultrasound,
	99NUMA = NUMA,
	ACR = ACR Index for Radiological Diagnosis,
	ART = WHO Adverse Reaction terms,
	AS4 = ASTM,
	ASTM-sigpurpose = ASTM E 2084 Signature Purpose codes,
	ATC = American Type Culture Collection,
	BARI = Bypass Angiography Revascularization Inverstigation,
	BI = BI-RADS,
	C4  = CPT-4,
	C5  = CPT-5,
	caDSR = Cancer Data Standard Repository,
	CAS = Chemical Abstract Codes,
	CD2 = American Dental Association Current Dental Terminology 2,
	CDCA = CDC Analyte Codes,
	CDCM = CDC Methods/Instruments Codes,
	CDS = CDC Surveillance Codes,
	CE  = CEN ECG Diagnostic Codes,
	CST = COSTART coding system for adverse drug reactions,
	CTV3 = NHS Clinical Terms Version 3 (Read Codes),
	DC = Dublin Core,
	DCM = DICOM Controlled Terminology,
	DCMUID = DICOM UID Registry,
	E   = Euclides AFP codes,
	E5  = Euclides Kind Of Quantity Codes,
	E6  = Euclides Lab Method Codes,
	E7  = Euclides Lab Equipment Codes,
	ENZC = 	Enzyme Codes,
	FDK = FDA K10,
	FMA = Digital Anatomist Foundational Model of Anatomy,
	HB  = HIBCC,
	HHCC = Home Health Care Classification System,
	HI  = Health Outcomes Institute codes for outcome variables,
	HPC = Healthcare Financing Administration (HCFA) Common Procedure CodingSystem (HCPCS),
	JC8 = Japanese Chemistry,
	ICS = ICCS,
	I9  = ICD9,
	I9C = ICD9-CM,
	I10 = ICD10,
	I10P = ICD10 Procedure Coding System,
	IBT = ISBT,
	ICS = ICCS,
	IETF4646 = IETF RFC 4646 language codes,
	ISO3166_1 = ISO 2 letter country codes,
	ISO639_1 = ISO 2 letter language codes,
	ISO639_2 = ISO 3 letter language codes,
	ISO_OID =  ISO OSI Object Identifier Tree,
	ITIS_TSN = Integrated Taxonomic Information System Taxonomic Serial Number,
	IUC = IUPAC/IFCC Recommendations of Quantities and Units in Clinical Chemistry,
	IUPC = IUPAC component (analyte) codes,
	IUPP = IUPAC property codes,
	JC8 = Japanese Chemistry Clinical examination classification code,
	LN = LOINC,
	MA = Adult Mouse Anatomy Ontology,
	MCD = Medicaid billing codes/names,
	MCR = Medicare billing codes/names,
	MDC = ISO/IEEE 11073 Medical Device Nomenclature,
	MDDX = Medispan diagnostic codes,
	MDNS = Universal Medical Device Nomenclature System,
	MEDC = Medical Economics Drug Codes,
	MEDR = Medical Dictionary for Drug Regulatory Affairs (MEDDRA),
	MEDX = Medical Economics Diagnostic Codes,
	MGI = Mouse Genome Initiative,
	MGPI = Medispan GPI hierarchical drug codes,
	MSH = NLM Medical Subject Headings,
	MVX = CDC Vaccine Codes,
	NBD = NASPE/BPEG Defibrillator Code,
	NBG = NASPE/BPEG Generic Pacemaker Code,
	NCDR = American College of Cardiology National Cardiovascular Data Registry Cath Lab Module,
	NCIt = NCI Thesaurus,
	NDC = National Drug Codes FDA,
	NEU = NeuroNames,
	NIC = Nursing Interventions Iowa Intervention Project,
	NICIP = UK National Health Service National Interim Clinical Imaging Procedures (NICIP) Short Code,
	NPI = HCFA National Provider Identifier,
	POS = HCFA Place of Service (POS) Codes for Professional Claims,
	PUBCHEM_CID = US National Center for Biotechnology Information (NCBI) PubChem Compound CID,
	RADLEX = RadLex,
	RC  = Read Clinical Classification of Medicine,
	RFC3066 = IETF RFC 3066 language codes,
	RFC5646 = IETF RFC 5646 language codes,
	SCPECG = Standard Communications Protocol for Computer-Assisted Electrocardiography,
	SNM3 = SNOMED International Version 3,
	SCT = SNOMED-CT,
	SRT = SNOMED-RT,
	UBERON  = Uberon integrated cross-species ontology,
	UC  = UCDS,
	UCUM = Unified Code for Units of Measure,
	UMD = Universal Medical Device Nomenclature System MDNS, 
	UML = Unified Medical Language,
	UMLS = UMLS codes as CUIs making up the values in a coding system,
	UPC = Universal Product Code - Universal Code Council,
	UPIN = HCFA Universal Physician Identification Numbers,
	W1  = WHO Record Number 6 Digit Drug Codes,
	W2  = WHO Record Number 8 Digit Drug Codes,
	W4  = WHO Record Number With ASTM Extensions,
	WC  = WHO ATC
}

StringValues="CodingSchemeDesignatorUCUM"	{
	UCUM = Unified Code for Units of Measure
}

StringValues="CodingSchemeDesignatorLOINC"	{
	LN = LOINC
}

StringValues="VisitStatusID" {
	CREATED,
	SCHEDULED,
	ADMITTED,
	DISCHARGED
}

StringValues="StudyStatusID" {
	CREATED,
	SCHEDULED,
	ARRIVED,
	STARTED,
	COMPLETED,
	VERIFIED,
	READ
}

StringValues="StudyComponentStatusID" {
	CREATED,
	INCOMPLETE,
	COMPLETED,
	VERIFIED,
	POSTINTERPRET
}

StringValues="InterpretationTypeID" {
	REPORT,
	AMMENDMENT
}

StringValues="InterpretationStatusID" {
	CREATED,
	RECORDED,
	TRANSCRIBED,
	APPROVED
}

StringValues="Sex" {
	M = Male,
	F = Female,
	O = Other,
	***EMPTYVALUE***
}

StringValues="Laterality" {
	R = Right,
	L = Left
}

StringValues="BodyPartExaminedHuman" {
	ABDOMEN,
	ABDOMENPELVIS,
	ADRENAL,
	ANKLE,
	AORTA,
	ARM,
	AXILLA,
	BACK,
	BLADDER,
	BRAIN,
	BREAST,
	BRONCHUS,
	BUTTOCK,
	CALCANEUS,
	CALF,
	CAROTID,
	CEREBELLUM,
	CSPINE,
	CTSPINE,
	CERVIX,
	CHEEK,
	CHEST,
	CHESTABDOMEN,
	CHESTABDPELVIS,
	CIRCLEOFWILLIS,
	CLAVICLE,
	COCCYX,
	COLON,
	CORNEA,
	CORONARYARTERY,
	DUODENUM,
	EAR,
	ELBOW,
	WHOLEBODY,
	ESOPHAGUS,
	EXTREMITY,
	EYE,
	EYELID,
	FACE,
	FEMUR,
	FINGER,
	FOOT,
	GALLBLADDER,
	HAND,
	HEAD,
	HEADNECK,
	HEART,
	HIP,
	HUMERUS,
	ILEUM,
	ILIUM,
	IAC,
	JAW,
	JEJUNUM,
	KIDNEY,
	KNEE,
	LARYNX,
	LEG,
	LIVER,
	LSPINE,
	LSSPINE,
	LUNG,
	JAW,
	MAXILLA,
	MEDIASTINUM,
	MOUTH,
	NECK,
	NECKCHEST,
	NECKCHESTABDOMEN,
	NECKCHESTABDPELV,
	NOSE,
	ORBIT,
	OVARY,
	PANCREAS,
	PAROTID,
	PATELLA,
	PELVIS,
	PENIS,
	PHARYNX,
	PROSTATE,
	RECTUM,
	RIB,
	SSPINE,
	SCALP,
	SCAPULA,
	SCLERA,
	SCROTUM,
	SHOULDER,
	SKULL,
	SPINE,
	SPLEEN,
	STERNUM,
	STOMACH,
	SUBMANDIBULAR,
	TMJ,
	TESTIS,
	THIGH,
	TSPINE,
	TLSPINE,
	THUMB,
	THYMUS,
	THYROID,
	TOE,
	TONGUE,
	TRACHEA,
	URETER,
	URETHRA,
	UTERUS,
	VAGINA,
	VULVA,
	WRIST,
	ZYGOMA
}

StringValues="BodyPartExaminedAnimal" {
	ABDOMEN,
	LEGS,
	ATLANTOAXIAL,
	ATLANTOOCCIPITAL,
	BLADDER,
	CARPUS,
	CSPINE,
	CTSPINE,
	CHEST,
	CHESTABDOMEN,
	TAIL,
	COLON,
	DIGIT,
	DISTALPHALANX,
	ELBOW,
	WHOLEBODY,
	ESOPHAGUS,
	FEMUR,
	FOREFETLOCK,
	HINDFETLOCK,
	FOREFOOT,
	FRONTALSINUS,
	HINDFOOT,
	HIP,
	HUMERUS,
	LSPINE,
	LSSPINE,
	JAW,
	METACARPUS,
	METATARSUS,
	NAVICULAR,
	FOREPASTERN,
	HINDPASTERN,
	PATELLA,
	PELVIS,
	RADIUSULNA,
	SSPINE,
	SHOULDER,
	SKULL,
	STIFLE,
	TARSUS,
	TSPINE,
	TLSPINE,
	TIBIAFIBULA,
	UGITRACT,
	URETHRA,
	URINARYTRACT,
	WING
}

StringValues="Modality"	{
	AR = Autorefraction,
	AU = Audio,
	BI = Biomagnetic Imaging,
	BDUS = Bone Densitometry (ultrasound),
	BMD	= Bone Densitometry (X-ray),
	CR = Computed Radiography,
	CT = Computed Tomography,
	DG = Diaphanography,
	DOC	= Document,
	DX = Digital Radiography,
	ECG = Electrocardiography,
	EPS = Cardiac Electrophysiology,
	ES = Endoscopy,
	FID = Fiducials,
	GM = General Microscopy,
	HC = Hard Copy,
	HD = Hemodynamic Waveform,
	IO = Intra-oral Radiography,
	IOL = Intraocular Lens Data,
	IVOCT = Intravascular Optical Coherence Tomography,
	IVUS = Intravascular Ultrasound,
	KER = Keratometry,
	KO = Key Object Selection,
	LEN = Lensometry,
	LS = Laser Surface Scan,
	M3D = Model for 3D Manufacturing,
	MG = Mammography,
	MR = Magnetic Resonance,
	NM = Nuclear Medicine,
	OAM = Ophthalmic Axial Measurements,
	OCT	= Optical Coherence Tomography (non-Ophthalmic),
	OP = Ophthalmic Photography,
	OPM	= Ophthalmic Mapping,
	OPT	= Ophthalmic Tomography,
	OPTBSV	= Ophthalmic Tomography B-scan Volume Analysis,
	OPTENF	= Ophthalmic Tomography En Face,
	OPV	= Ophthalmic Visual Field,
	OT = Other,
	PLAN = Plan,
	PR = Presentation State,
	PT = Positron Emmission Tomography,
	PX = Panoramic X-Ray,
	REG	= Registration,
	RESP = Respiratory Waveform,
	RF = RadioFluoroscopy,
	RG = Radiographic Imaging Conventional Film Screen,
	RTDOSE = RT Dose,
	RTIMAGE = RT Image,
	RTPLAN = RT Plan,
	RTRECORD = RT Treatment Record,
	RTSTRUCT = RT Structure Set,
	RWV = Real World Value,
	SEG	= Segmentation,
	SM = Slide Microscopy,
	SMR = Stereometric Relationship,
	SR = SR Document,
	SRF = Subjective Refraction,
	STAIN = Automated Slide Stainer,
	TG = Thermography,
	US = Ultrasound,
	VA = Visual Acuity,
	XA = X-Ray Angiography,
	XC = External Camera Photography
}

StringValues="PatientPosition" {
	HFP  = Head First Prone,
	HFS  = Head First Supine,
	HFDR = Head First Decubitus Right,
	HFDL = Head First Decubitus Right,
	FFP  = Feet First Prone,
	FFS  = Feet First Supine,
	FFDR = Feet First Decubitus Right,
	FFDL = Feet First Decubitus Right,
	LFP = Left First-Prone,
	LFS = Left First-Supine,
	RFP = Right First-Prone,
	RFS = Right First-Supine,
	AFDR = Anterior First Decubitus Right,
	AFDL = Anterior First Decubitus Left,
	PFDR = Posterior First Decubitus Right,
	PFDL = Posterior First Decubitus Left
}

StringValues="ViewPositionHuman" {
	AP  = Anterior Posterior,
	PA  = Posterior Anterior,
	LL  = Left Lateral,
	RL  = Right Lateral,
	RLD = Right Lateral Decubitus,
	LLD = Left Lateral Decubitus,
	RLO = Right Lateral Oblique,
	LLO = Left Lateral Oblique
}

StringValues="ViewPositionAnimal" {
	CDDI_CRPRO,
	CD10DI_CRPRO,
	CDCR,
	DV,
	DL_PAMO,
	D35L_PAMO,
	D40L_PAMO,
	D60L_PAMO,
	DL_PLMO,
	D35L_PLMO,
	D40L_PLMO,
	D45L_PLMO,
	D60L_PLMO,
	DM_PALO,
	D35M_PALO,
	D40M_PALO,
	D45M_PALO,
	D60M_PALO,
	DM_PLLO,
	D35M_PLLO,
	D40M_PLLO,
	D45M_PLLO,
	D60M_PLLO,
	DPA,
	DPL,
	DPR_PADIO,
	D65PR_PADIO,
	DPR_PLDIO,
	D65PR_PLDIO,
	DR_VCDO,
	D20R_VCDO,
	LDPR_MPADIO,
	L45D50PR_MPADIO,
	LDPR_MPLDIO,
	L45D50PR_MPLDIO,
	LM,
	LECD_RTRO,
	LE30CD_RTRO,
	LED_RTVO,
	LE20D_RTVO,
	LE45D_RTVO,
	LER_RTCDO,
	LE20R_RTCDO,
	LEV_RTDO,
	LE20V_RTDO,
	LE45V_RTDO,
	LERTL,
	ML,
	PAM_DLO,
	PA45M_DLO,
	PAPR_DDIO,
	PA75PR_DDIO,
	PLL_DMO,
	PL60L_DMO,
	PLPR_DDIO,
	PL75PR_DDIO,
	PRDI,
	RTCD_LERO,
	RT30CD_LERO,
	RTD_LEVO,
	RT20D_LEVO,
	RT45D_LEVO,
	RTR_LECDO,
	RT20R_LECDO,
	RTV_LEDO,
	RT20V_LEDO,
	RT45V_LEDO,
	RTLEL,
	RCD,
	RD_CDVO,
	R20D_CDVO,
	RV_CDDO,
	R30V_CDDO,
	VLE_DRTO,
	V30LE_DRTO,
	VRT_DLEO,
	V30RT_DLEO,
	VD,
	VR_DCDO,
	V20R_DCDO
}

StringValues="CassetteSize" {
	18CMX24CM,
	8INX10IN,
	24CMX30CM,
	10INX12IN,
	30CMX35CM,
	30CMX40CM,
	11INX14IN,
	35CMX35CM,
	14INX14IN,
	35CMX43CM
	14INX17IN,
}

StringValues="RotationDirection" {
	CW = Clockwise,
	CC = CounterClockwise
}

StringValues="RotationDirectionWithNone" {
	CW = Clockwise,
	CC = CounterClockwise,
	NONE = No Rotation
}

StringValues="ScanningSequence" {
	SE = Spin Echo,
	IR = Inversion Recovery,
	GR = Gradient Recalled,
	EP = Echo Planar,
	RM = Research Mode
}

StringValues="SequenceVariant"	{
	SK   = Segmented K Space,
	MTC  = Magnetization Transfer CDontrast,
	SS   = Steady State,
	TRSS = Time Reversed Steady State,
	SP   = Spoiled,
	MP   = Magnetization Prepared,
	OSP  = Oversampling Phase,
	NONE = No Sequence Variant
}

StringValues="ScanOptions" {
	PER = Phase Encode Reordering,
	RG  = Respiratory Gating,
	CG  = Cardiac Gating,
	PPG = Peripheral Pulse Gating,
	FC  = Flow Compensation,
	PFF = Partial Fourier Frequency,
	PFP = Partial Fourier Phase,
	SP  = Spatial Presaturation,
	FS  = Fat Saturation
}

StringValues="MRAcquisitionType" {
	2D = Frequency x Phase,
	3D = Frequency x Phase x Phase
}

StringValues="AngioFlag" {
	Y = Image is Angio,
	N = Image is not Angio
}

StringValues="PhaseEncodingDirection" {
	ROW = Phase Encoded in Rows,
	COL = Phase Encoded in Columns
}

StringValues="PhotometricInterpretation" {
	MONOCHROME1,
	MONOCHROME2,
	PALETTE COLOR,
	RGB,
	YBR_FULL,
	YBR_FULL_422,
	YBR_PARTIAL_422,
	YBR_PARTIAL_420,
	YBR_RCT,
	YBR_ICT
}

StringValues="PhotometricInterpretationMonochrome" {
	MONOCHROME1,
	MONOCHROME2
}

StringValues="PhotometricInterpretationMonochrome2" {
	MONOCHROME2
}

StringValues="PhotometricInterpretationMonochromeOrPaletteColor" {
	MONOCHROME1,
	MONOCHROME2,
	PALETTE COLOR,
}

StringValues="PhotometricInterpretationRGB" {
	RGB
}

StringValues="PhotometricInterpretationMonochrome2OrRGB" {
	MONOCHROME2,
	RGB
}

StringValues="PhotometricInterpretationMonochrome2OrRGBOrYBR_FULL422" {
	MONOCHROME2,
	YBR_FULL_422,
	RGB
}

StringValues="PhotometricInterpretationYBRFull422" {
	YBR_FULL_422
}

StringValues="PhotometricInterpretationYBRFull422OrRGB" {
	YBR_FULL_422,
	RGB
}

StringValues="PhotometricInterpretationYBRICT" {
	YBR_ICT
}

StringValues="PhotometricInterpretationYBRRCT" {
	YBR_RCT
}

StringValues="PhotometricInterpretationYBRRCTOrRGB" {
	YBR_RCT,
	RGB
}

StringValues="PhotometricInterpretationYBRRCTOrICT" {
	YBR_RCT,
	YBR_ICT
}

StringValues="PhotometricInterpretationYBRRCTOrICTOrRGB" {
	YBR_RCT,
	YBR_ICT,
	RGB
}

StringValues="PhotometricInterpretationYBRPartial420" {
	YBR_PARTIAL_420
}

StringValues="PhotometricInterpretationYBRFull" {
	YBR_FULL
}

StringValues="PhotometricInterpretationYBRFullOrRGBOrYBR_RCTOrYBR_ICT" {
	YBR_FULL,
	YBR_RCT,
	YBR_ICT,
	RGB
}

StringValues="PhotometricInterpretationRGBOrYBR_FULL_422OrYBR_RCTOrYBR_ICTOrYBR_PARTIAL_420" {
	YBR_FULL_422,
	YBR_PARTIAL_420,
	YBR_RCT,
	YBR_ICT,
	RGB
}

StringValues="PhotometricInterpretationMonochrome2OrRGBOrYBR_FULL_422OrYBR_RCTOrYBR_ICTOrYBR_PARTIAL_420" {
	MONOCHROME2,
	YBR_FULL_422,
	YBR_PARTIAL_420,
	YBR_RCT,
	YBR_ICT,
	RGB
}

StringValues="PhotometricInterpretationRGBOrYBR_RCT" {
	YBR_RCT,
	RGB
}

StringValues="PhotometricInterpretationYBRFullOrRGB" {
	YBR_FULL,
	RGB
}

StringValues="PhotometricInterpretationYBRFullOrRGBOrYBR_RCT" {
	YBR_FULL,
	YBR_RCT,
	RGB
}

StringValues="ImageType1"	{
	ORIGINAL,
	DERIVED
}

StringValues="ImageType1OriginalOnly"	{
	ORIGINAL
}

StringValues="ImageType1DerivedOnly"	{
	DERIVED
}

StringValues="ImageType2"	{
	PRIMARY,
	SECONDARY
}

StringValues="ImageType2PrimaryOnly"	{
	PRIMARY
}

StringValues="CTImageType3" {
	AXIAL,
	LOCALIZER
}

StringValues="CTImageType4" {
	VMI,
	MAT_SPECIFIC,
	MAT_REMOVED,
	MAT_FRACTIONAL,
	EFF_ATOMIC_NUM,
	ELECTRON_DENSITY,
	MAT_MODIFIED,
	MAT_VALUE_BASED,
	***EMPTYVALUE***
}

StringValues="MRImageType3" {
	MPR,
	PROJECTION IMAGE,
	T1 MAP,
	T2 MAP,
	DIFFUSION MAP,
	DENSITY MAP,
	PHASE MAP,
	VELOCITY MAP,
	IMAGE ADDITION,
	PHASE SUBTRACT,
	MODULUS SUBTRACT,
	OTHER
}

StringValues="ConversionType" {
	DV  = Digitized Video,
	DI  = Digital Interface,
	DF  = Digitized Film,
	WSD = Workstation,
	SD = Scanned Document,
	SI = Scanned Image,
	DRW = Drawing,
	SYN = Synthetic Image
}

StringValues="OverlayType" {
	G = Graphics,
	R = ROI
}

StringValues="CurveTypeOfData" {
	TAC      = Time Activity Curve ,
	PROF     = Image Profile ,
	HIST     = Histogram ,
	ROI      = Polygraphic Region Of Interest,
	TABL     = Table of Values ,
	FILT     = Filter Kernel,
	POLY     = Poly Line ,
	ECG      = ECG Data,
	PRESSURE = Pressure Data,
	FLOW     = Flow Data,
	PHYSIO   = Physiological Data,
	RESP     = Respiration Trace
}

StringValues="CurveAxisUnits" {
	SEC     = Seconds ,
	CNTS    = Counts ,
	MM      = millimeters,
	PIXL    = Pixels   ,
	NONE    = Unitless,
	BPM     = beats/min,
	CM      = centimeters,
	CMS     = centimeters/second ,
	CM2     = cm**2,
	CM2S    = cm**2/second,
	CM3     = cm**3,
	CM3S    = cm**3/second,
	CMS2    = cm/second**2,
	DB      = dB,
	DBS     = dB/second,
	DEG     = degrees,
	GM      = gram,
	GMM2    = gram/meter**2,
	HZ      = Hertz,
	IN      = inch,
	KG      = kg,
	LMIN    = liters/minute,
	LMINM2  = liters/minute/meter**2,
	M2      = meters **2,
	MS2     = meters/sec**2,
	MLM2    = milliliters/meter**2,
	MILS    = milliseconds,
	MILV    = millivolts,
	MMHG    = mmHg,
	PCNT    = percent,
	LB      = pound
}

StringValues="ModalityLUTType" {
	OD = Optical Density (thousandths),
	HU = Hounsfield Units,
	US = Unspecified
}

StringValues="ModalityLUTTypeUnspecified" {
	US = Unspecified
}

StringValues="LossyImageCompression" {
	00 = Image has not been subjected to lossy compression,
	01 = Image has been subjected to lossy compression
}

StringValues="PerformedProcedureStepStatus"	{
	IN PROGRESS,
	DISCONTINUED,
	COMPLETED
}

StringValues="SecondaryCapturePresentationLUTShape"	{
	IDENTITY
}

StringValues="RescaleTypeUnspecified"	{
	US
}

StringValues="TransportDirection"	{
	ROW,
	COLUMN
}

StringValues="MACAlgorithm"	{
	RIPEMD160,
	MD5,
	SHA1
}

StringValues="CertificateType"	{
	X509_1993_SIG
}

StringValues="CertifiedTimestampType"	{
	CMS_TSP
}

StringValues="CodingSchemeRegistries"	{
	HL7
}

StringValues="SEGModality" {
	SEG
}

StringValues="REGModality" {
	REG
}

StringValues="FIDModality" {
	FID
}

StringValues="FrameOfReferenceTransformationMatrixType" {
	RIGID,
	RIGID_SCALE,
	AFFINE
}

StringValues="FiducialShapeType" {
	POINT,
	LINE,
	PLANE,
	SURFACE,
	RULER,
	L_SHAPE,
	T_SHAPE,
	SHAPE
}

StringValues="IdentityPresentationLUTShape"	{
	IDENTITY
}

StringValues="InversePresentationLUTShape"	{
	INVERSE
}

StringValues="IdentityOrInversePresentationLUTShape"	{
	IDENTITY,
	INVERSE
}

# should really have a case insensitive match :(
StringValues="MIMETypeApplicationPDF"	{
	application/pdf,
	application/PDF,
	Application/PDF,
	APPLICATION/PDF
}

# should really have a case insensitive match :(
StringValues="MIMETypeApplicationCDA"	{
	text/xml,
	text/XML,
	Text/XML,
	TEXT/XML
}

# should really have a case insensitive match :(
StringValues="MIMETypeApplicationSTL"	{
	model/stl,
	model/STL,
	Model/STL,
	MODEL/STL
}

StringValues="LossyImageCompressionMethod" {
	ISO_10918_1 = JPEG Lossy Compression,
	ISO_14495_1 = JPEG-LS Near-lossless Compression,
	ISO_15444_1 = JPEG 2000 Irreversible Compression,
	ISO_13818_2 = MPEG2 Compression,
	ISO_14496_10 = MPEG-4 AVC/H.264 Compression
}

StringValues="ContentItemValueTypes" {
	DATETIME,
	DATE,
	TIME,
	PNAME,
	UIDREF,
	TEXT,
	CODE,
	NUMERIC,
	IMAGE,
	COMPOSITE
}

StringValues="PixelIntensityRelationshipLUTFunction" {
	TO_LOG,
	TO_LINEAR
}

StringValues="OverlaySubtype" {
	USER = User created graphic annotation,
	AUTOMATED = Machine created graphic annotation
}

StringValues="RealWorldValueMappingModality" {
	RWV
}

StringValues="TypeOfPatientID" {
	TEXT,
	RFID,
	BARCODE
}

StringValues="ResponsiblePersonRole" {
	OWNER,
	PARENT,
	CHILD,
	SPOUSE,
	SIBLING,
	RELATIVE,
	GUARDIAN,
	CUSTODIAN,
	AGENT,
	INVESTIGATOR,
	VETERINARIAN
}

StringValues="PatientSexNeutered" {
	ALTERED,
	UNALTERED
}

StringValues="YesNoReorientedOnly" {
	YES,
	NO,
	REORIENTED_ONLY
}


StringValues="EquipmentCoordinateSystemIdentification" {
	ISOCENTER
}

StringValues="CommonEnhancedImageType1" {
	ORIGINAL,
	DERIVED,
	MIXED
}

StringValues="CommonEnhancedFrameType1" {
	ORIGINAL,
	DERIVED
}

StringValues="CommonEnhancedImageAndFrameType2" {
	PRIMARY
}

StringValues="CommonEnhancedImageAndFrameType3" {
	ANGIO,
	CARDIAC,
	CARDIAC_GATED,
	CARDRESP_GATED,
	DYNAMIC,
	FLUOROSCOPY,
	LOCALIZER,
	MOTION,
	PERFUSION,
	PRE_CONTRAST,
	POST_CONTRAST,
	RESP_GATED,
	REST,
	STATIC,
	STRESS,
	VOLUME,
	NON_PARALLEL,
	PARALLEL,
	WHOLE_BODY
}

StringValues="CommonEnhancedImageType4" {
	ADDITION,
	DIVISION,
	MASKED,
	MAXIMUM,
	MEAN,
	MINIMUM,
	MTT,
	MULTIPLICATION,
	RCBF,
	RCBV,
	RESAMPLED,
	STD_DEVIATION,
	SUBTRACTION,
	T_TEST,
	TTP,
	Z_SCORE,
	NONE,
	MIXED
}

StringValues="CommonEnhancedFrameType4" {
	ADDITION,
	DIVISION,
	MASKED,
	MAXIMUM,
	MEAN,
	MINIMUM,
	MTT,
	MULTIPLICATION,
	RCBF,
	RCBV,
	RESAMPLED,
	STD_DEVIATION,
	SUBTRACTION,
	T_TEST,
	TTP,
	Z_SCORE,
	NONE
}

StringValues="RespiratoryPhase" {
	INSPIRATION,
	MAXIMUM,
	EXPIRATION,
	MINIMUM
}

StringValues="CardiacFramingType" {
	FORW = time forward from trigger,
	BACK = time back before trigger,
	PCNT  = percentage of R-R forward from trigger
}

StringValues="RespiratoryTriggerType" {
	TIME,
	AMPLITUDE,
	BOTH
}

StringValues="UniversalEntityIDType" {
	DNS = An Internet dotted name either in ASCII or as integers,
	EUI64 = An IEEE Extended Unique Identifier,
	ISO = An International Standards Organization Object Identifier,
	URI = Uniform Resource Identifier,
	UUID = The DCE Universal Unique Identifier,
	X400 = An X.400 MHS identifier,
	X500 = An X.500 directory name
}

StringValues="HL7Table0203IdentifierType" {
	AM = American Express,
	AN = Account number,
	ANON = Anonymous identifier,
	ANC = Account number Creditor,
	AND = Account number debitor,
	ANT = Temporary Account Number,
	APRN = Advanced Practice Registered Nurse number,
	BA = Bank Account Number,
	BC = Bank Card Number,
	BR = Birth registry number,
	BRN = Breed Registry Number,
	CC = Cost Center number,
	CY = County number,
	DDS = Dentist license number,
	DEA = Drug Enforcement Administration registration number,
	DI = Diner’s Club card,
	DFN = Drug Furnishing or prescriptive authority Number,
	DL = Driver’s license number,
	DN = Doctor number,
	DPM = Podiatrist license number,
	DO = Osteopathic License number,
	DR = Donor Registration Number,
	DS = Discover Card,
	EI = Employee number,
	EN = Employer number,
	FI = Facility ID,
	GI = Guarantor internal identifier,
	GL = General ledger number,
	GN = Guarantor external  identifier,
	HC = Health Card Number,
	JHN = Jurisdictional health number Canada,
	IND = Indigenous/Aboriginal ,
	LI = Labor and industries number,
	LN = License number,
	LR = Local Registry ID,
	MA = Patient Medicaid number,
	MB = Member Number,
	MC = Patients Medicare number,
	MCD = Practitioner Medicaid number,
	MCN = Microchip Number,
	MCR = Practitioner Medicare number,
	MD = Medical License number,
	MI = Military ID number,
	MR = Medical record number,
	MRT = Temporary Medical Record Number,
	MS = MasterCard,
	NE = National employer identifier,
	NH = National Health Plan Identifier,
	NI = National unique individual identifier,
	NII = National Insurance Organization Identifier,
	NIIP = National Insurance Payor Identifier,
	NNxxx = National Person Identifier where the xxx is the ISO table 3166 3-character alphabetic country code,
	NNUSA = National Person Identifier USA,
	NP = Nurse practitioner number,
	NPI = National provider identifier,
	OD = Optometrist license number,
	PA = Physician Assistant number,
	PCN = Penitentiary correctional institution Number,
	PE = Living Subject Enterprise Number,
	PEN = Pension Number,
	PI = Patient internal identifier,
	PN = Person number,
	PNT = Temporary Living Subject Number,
	PPN = Passport number,
	PRC = Permanent Resident Card Number,
	PRN = Provider number,
	PT = Patient external identifier,
	QA = QA number,
	RI = Resource identifier,
	RPH = Pharmacist license number,
	RN = Registered Nurse Number,
	RR = Railroad Retirement number,
	RRI = Regional registry ID,
	SL = State license,
	SN = Subscriber Number,
	SR = State registry ID,
	SS = Social Security number,
	TAX = Tax ID number,
	TN = Treaty Number Canada,
	U = Unspecified identifier,
	UPIN = Medicare CMS Universal Physician Identification numbers,
	VN = Visit number,
	VS = VISA,
	WC = WIC identifier,
	WCN = Workers Comp Number,
	XX = Organization identifier
}

StringValues="SegmentationType" {
	BINARY,
	FRACTIONAL
}

StringValues="SegmentationFractionalType" {
	PROBABILITY,
	OCCUPANCY
}

StringValues="SegmentAlgorithmType" {
	AUTOMATIC,
	SEMIAUTOMATIC,
	MANUAL
}

StringValues="RecommendedPresentationType" {
	SURFACE,
	WIREFRAME,
	POINTS
}

StringValues="DistributionType" {
	NAMED_PROTOCOL,
	RESTRICTED_REUSE,
	PUBLIC_RELEASE
}

StringValues="ConsentForDistributionFlag" {
	NO,
	YES,
	WITHDRAWN 
}

StringValues="AnatomicalOrientationType" {
	BIPED,
	QUADRUPED
}

StringValues="ContainerComponentMaterial" {
	GLASS,
	PLASTIC,
	METAL
}

StringValues="LongitudinalTemporalInformationModified" {
	UNMODIFIED,
	MODIFIED,
	REMOVED
}

StringValues="DimensionOrganizationType" {
	3D,
	3D_TEMPORAL,
	TILED_FULL,
	TILED_SPARSE
}

StringValues="DimensionOrganizationType3D" {
	3D
}

StringValues="IVOCTModality" {
	IVOCT
}

StringValues="IVOCTPixelPresentationImageLevel" {
	COLOR,
	COLOR_REF,
	MONOCHROME
}

StringValues="IVOCTImageAndFrameTypeValue3"	{
	AXIAL,
	LONGITUDINAL
}

StringValues="IVOCTVolumetricProperties"	{
	DISTORTED
}

StringValues="IVOCTInterpolationType"	{
	REPLICATE,
	CUBIC,
	BILINEAR
}

StringValues="OCTAcquisitionDomain"	{
	TIME,
	FREQUENCY,
	SPECTRAL
}

StringValues="IVOCTIVUSAcquisition"	{
	MOTORIZED,
	MANUAL,
	SELECTIVE,
	MEASURED
}

StringValues="IVOCTPixelIntensityRelationship"	{
	LIN,
	LOG
}

StringValues="CatheterDirectionOfRotation"	{
	CW,
	CC
}

StringValues="WellKnownColorPaletteInstanceUIDs" {
	1.2.840.10008.1.5.1 = Hot Iron Color Palette SOP Instance,
	1.2.840.10008.1.5.2 = PET Color Palette SOP Instance,
	1.2.840.10008.1.5.3 = Hot Metal Blue Color Palette SOP Instance,
	1.2.840.10008.1.5.4 = PET 20 Step Color Palette SOP Instance
}

StringValues="Volume"	{
	VOLUME
}

StringValues="None"	{
	NONE
}

StringValues="EmptyValue"	{
	***EMPTYVALUE***
}

StringValues="DigitOne"	{
	1
}

StringValues="ParametricMapImageAndFrameType1" {
	DERIVED
}

StringValues="MappingResources" {
	DCMR
}

StringValues="MappingResourceUIDs" {
	1.2.840.10008.8.1.1
}

StringValues="MappingResourceNames" {
	DICOM Content Mapping Resource
}

StringValues="QueryRetrieveView" {
	CLASSIC,
	ENHANCED
}

StringValues="ParametricMapImagePixelPresentation" {
	COLOR_RANGE,
	MONOCHROME
}

StringValues="CodingSchemeURLType" {
	DOC,
	OWL,
	CSV
}

StringValues="LongitudinalTemporalEventType" {
	ENROLLMENT,
	BASELINE
}

StringValues="M3DModality" {
	M3D
}

StringValues="InstanceOriginStatus" {
	LOCAL,
	IMPORTED
}


StringValues="ValueRepresentations" {
	AE,
	AS,
	AT,
	CS,
	DA,
	DS,
	DT,
	FL,
	DF,
	IS,
	LO,
	LT,
	OB,
	OD,
	OF,
	OL,
	OW,
	PN,
	SH,
	SL,
	SQ,
	SS,
	ST,
	TM,
	UC,
	UI,
	UL,
	UN,
	UR,
	US,
	UT
}

StringValues="BlockIdentifyingInformationStatus" {
	SAFE,
	UNSAFE,
	MIXED
}

StringValues="DeidentificationAction" {
	D,
	Z,
	X,
	U
}

StringValues="PatientAlternativeCalendar" {
	PROLEPTIC GREGN,
	JULIAN,
	PROLEPTIC JULIAN,
	EGYPTIAN REGNAL,
	HEBREW,
	HIJRI
}

StringValues="TypeOfInstances" {
	DICOM,
	CDA
}

StringValues="EncapsulatedDocumentRootValueTypes" {
	CONTAINER
}

StringValues="EncapsulatedDocumentRelationshipType" {
	CONTAINS,
	HAS OBS CONTEXT,
	HAS ACQ CONTEXT,
	HAS CONCEPT MOD
}
StringValues="SpecificCharacterSet" {
	***EMPTYVALUE*** = Default ASCII,
	ISO_IR 100 =	Latin alphabet No. 1,
	ISO_IR 101 =	Latin alphabet No. 2,
	ISO_IR 109 =	Latin alphabet No. 3,
	ISO_IR 110 =	Latin alphabet No. 4,
	ISO_IR 144 =	Cyrillic,
	ISO_IR 127 =	Arabic,
	ISO_IR 126 =	Greek,
	ISO_IR 138 =	Hebrew,
	ISO_IR 148 =	Latin alphabet No. 5,
	ISO_IR 13  =	Japanese,
	ISO_IR 166 =	Thai,
	ISO 2022 IR 6 =	Code extension Single byte Default repertoire,
	ISO 2022 IR 100 =	Code extension Single byte Latin alphabet No. 1,
	ISO 2022 IR 101 =       Code extension Single byte Latin alphabet No. 2,
	ISO 2022 IR 109 =       Code extension Single byte Latin alphabet No. 3,
	ISO 2022 IR 110 =       Code extension Single byte Latin alphabet No. 4,
	ISO 2022 IR 144 =       Code extension Single byte Cyrillic,
	ISO 2022 IR 127 =       Code extension Single byte Arabic,
	ISO 2022 IR 126 =       Code extension Single byte Greek,
	ISO 2022 IR 138 =       Code extension Single byte Hebrew,
	ISO 2022 IR 148 =       Code extension Single byte Latin alphabet No. 5,
	ISO 2022 IR 13  =       Code extension Single byte Japanese Katakana and Romaji,
	ISO 2022 IR 166 =       Code extension Single byte Thai,
	ISO 2022 IR 87  =       Code extension Multi byte Japanese Kanji,
	ISO 2022 IR 159 =       Code extension Multi byte Japanese Supplementary Kanji,
	ISO 2022 IR 149 =       Code extension Multi byte Korean,
	ISO 2022 IR 58 =        Code extension Multi byte Simplified Chinese,
	ISO_IR 192 =	Unicode UTF-8,
	GB18030 =	Chinese,
	GBK =	Simplified Chinese
}

StringValues="SpecificCharacterSetISOIR100" {
	ISO_IR 100 =	Latin alphabet No. 1
}

StringValues="IconImagePhotometricInterpretation" {
	MONOCHROME1,
	MONOCHROME2,
	PALETTE COLOR
}

StringValues="DirectoryRecordType" {
	PATIENT,
	STUDY,
	SERIES,
	IMAGE,
	RADIOTHERAPY,
	RT DOSE,
	RT STRUCTURE SET,
	RT PLAN,
	RT TREAT RECORD,
	PRESENTATION,
	SR DOCUMENT,
	KEY OBJECT DOC,
	WAVEFORM,
	SPECTROSCOPY,
	RAW DATA,
	REGISTRATION,
	FIDUCIAL,
	HANGING PROTOCOL,
	ENCAP DOC,
	HL7 STRUC DOC,
	STEREOMETRIC,
	VALUE MAP,
	PALETTE,
	IMPLANT,
	IMPLANT GROUP,
	IMPLANT ASSY,
	MEASUREMENT,
	SURFACE,
	PRIVATE
}

StringValues="DentalMediaProfileSOPClasses" {
	1.2.840.10008.5.1.4.1.1.1.3,
	1.2.840.10008.5.1.4.1.1.1.1
}

StringValues="DentalMediaProfileTransferSyntaxes" {
	1.2.840.10008.1.2.1
}

StringValues="XRayFieldOfViewShape" {
	ROUND,
	RECTANGLE
}

StringValues="Grid" {
	IN = Grid is positioned,
	NONE = No Grid is used
}

StringValues="RadiationSetting" {
	SC = low dose exposure for preparation,
	GR = high dose exposure for diagnostic quality image acquisition
}

StringValues="XRayImageScanOptions" {
	EKG = EKG Event Trigger,
	PHY = Physiological Event Trigger,
	TOMO = Tomography,
	CHASE = Bolus Chasing,
	STEP = Stepping,
	ROTA = Rotation
}

StringValues="PixelIntensityRelationship" {
	LIN = Approximately proportional to X-Ray beam intensity,
	LOG = Non-linear Log Function,
	DISP = Ready to be displayed
}

StringValues="XRayImageTypeValue3" {
	SINGLE PLANE = Image is a single plane acquisition,
	BIPLANE A = Image is the first plane of a Bi-plane acquisition,
	BIPLANE B = Image is the second plane of a Bi-plane acquisition,
	BIPLANE = Image is both planes of a Bi-plane acquisition 
}


StringValues="InterventionStatus" {
	PRE,
	INTERMEDIATE,
	POST,
	NONE
}

StringValues="DeviceDiameterUnits" {
	FR = French,
	GA = Gauge,
	IN = Inch,
	MM = Millimeter
}

StringValues="ShutterShape" {
	RECTANGULAR,
	CIRCULAR,
	POLYGONAL
}

StringValues="BitmapShutterShape" {
	BITMAP
}

StringValues="CollimatorShape" {
	RECTANGULAR,
	CIRCULAR,
	POLYGONAL
}

StringValues="MaskOperation" {
	NONE = No Subtraction,
	AVG_SUB = Average Subtraction,
	TID = Time Interval Differencing
	REV_TID = Reversed Time Interval Differencing
}

StringValues="RecommendedViewingMode" {
	SUB = for subtraction with mask images,
	NAT = native viewing of image as sent
}

StringValues="RadiationMode" {
	CONTINUOUS,
	PULSED
}

StringValues="MaskSelectionMode" {
	SYSTEM,
	USER
}

# enhanced XA/XRF stuff ...

StringValues="EnhancedXAXRFModality" {
	XA,
	XRF
}

StringValues="EnhancedXAXRFImageType1" {
	ORIGINAL,
	DERIVED
}

StringValues="EnhancedXAXRFImageType2" {
	PRIMARY,
	SECONDARY
}

StringValues="EnhancedXAXRFImageType3" {
	ANGIO,
	CARDIAC,
	CARDIAC_GATED,
	CARDRESP_GATED,
	DYNAMIC,
	FLUOROSCOPY,
	LOCALIZER,
	MOTION,
	PERFUSION,
	PRE_CONTRAST,
	POST_CONTRAST,
	RESP_GATED,
	REST,
	STATIC,
	STRESS,
	VOLUME,
	NON_PARALLEL,
	PARALLEL,
	WHOLE_BODY
}


StringValues="EnhancedXAXRFImageType4" {
	NONE
}

StringValues="PlanesInAcquisition" {
	SINGLE PLANE,
	BIPLANE,
	UNDEFINED
}


StringValues="PlaneIdentification" {
	MONOPLANE,
	PLANE A,
	PLANE B
}

StringValues="EnhancedXAXRFScanOptions" {
	TOMO,
	CHASE,
	STEP,
	ROTA
}

StringValues="EnhancedXAXRFRadiationSetting" {
	SC,
	GR
}

StringValues="EnhancedXAXRFRadiationMode" {
	CONTINUOUS,
	PULSED
}

StringValues="XRayReceptorType" {
	IMG_INTENSIFIER,
	DIGITAL_DETECTOR
}

StringValues="XRayReceptorTypeAngio" {
	IMG_INTENSIFIER,
	DIGITAL_DETECTOR
}

StringValues="XRayReceptorTypeCranio" {
	DIGITAL_DETECTOR
}

StringValues="EnhancedXAXRFPositionerType" {
	CARM,
	COLUMN
}

StringValues="IntensifierActiveShape" {
	RECTANGLE,
	ROUND,
	HEXAGONAL
}

StringValues="FieldOfViewShape" {
	RECTANGLE,
	ROUND,
	HEXAGONAL
}

StringValues="ExposureControlSensingRegionShape" {
	RECTANGULAR,
	CIRCULAR,
	POLYGONAL
}

StringValues="XAXRFPixelIntensityRelationship" {
	LIN,
	LOG,
	OTHER
}

StringValues="XAXRFGeometricalProperties" {
	UNIFORM,
	NON_UNIFORM
}

StringValues="XAXRFImageProcessingApplied" {
	DIGITAL_SUBTR,
	HIGH_PASS_FILTER,
	LOW_PASS_FILTER,
	MULTI_BAND_FLTR,
	FRAME_AVERAGING,
	NONE
}

StringValues="SkipFrameRangeFlag" {
	DISPLAY,
	SKIP
}

StringValues="XRay3DImageAndFrameType4" {
	NONE
}

StringValues="XRay3DReconstructionAlgorithmType" {
	FILTER_BACK_PROJ,
	ITERATIVE
}

StringValues="PositionerMotionStatic" {
	STATIC
}

StringValues="XRay3DImageVolumeBasedCalculationTechniqueImageLevel" {
	MAX_IP,
	MIN_IP,
	VOLUME_RENDER,
	SURFACE_RENDER,
	MPR,
	CURVED_MPR,
	NONE,
	MIXED,
	TOMOSYNTHESIS
}

StringValues="XRay3DImageVolumeBasedCalculationTechniqueFrameLevel" {
	MAX_IP,
	MIN_IP,
	VOLUME_RENDER,
	SURFACE_RENDER,
	MPR,
	CURVED_MPR,
	NONE,
	TOMOSYNTHESIS
}


StringValues="OverlaySubtypeUS" {
	ACTIVE 2D/BMODE IMAGE AREA = Identification of the active area of a 2D/B-mode image
}

StringValues="USPhotometricInterpretation" {
	MONOCHROME2,
	PALETTE COLOR,
	RGB,
	ARGB,
	YBR_FULL,
	YBR_FULL_422,
	YBR_PARTIAL_422,
	YBR_RCT,
	YBR_ICT
}

StringValues="USImageType3"	{
	ABDOMINAL,
	BREAST,
	CHEST,
	ENDOCAVITARY,
	ENDORECTAL,
	ENDOVAGINAL,
	EPICARDIAL,
	FETAL HEART,
	GYNECOLOGY,
	INTRACARDIAC,
	INTRAOPERATIVE,
	INTRAVASCULAR,
	MUSCULOSKELETAL,
	NEONATAL HEAD,
	OBSTETRICAL,
	OPHTHALMIC,
	PEDIATRIC,
	PELVIC,
	RETROPERITONEAL,
	SCROTAL,
	SMALL PARTS,
	TEE,
	THYROID,
	TRANSCRANIAL,
	TTE,
	USBIOPSY,
	VASCULAR
}

StringValues="USTransducerPosition" {
	ANTERIOR,
	AORTA,
	APICAL ,
	ARTERY,
	BASAL ESOPHAGUS,
	BYPASS GRAFT,
	CAUDAL,
	CRANIAL,
	DISTAL,
	ENDOVAGINAL,
	ENDORECTAL,
	EPICARDIAL,
	ESOPHAGUS,
	GASTRIC,
	INFERIOR,
	L ATRIUM,
	L CORONARY ART,
	L LIQ,
	L LOQ,
	L PARASTERN,
	L SUBCLAVIAN,
	L SUPRACLAVICULAR,
	L UIQ,
	L UOQ,
	L VENTRICLE LATER,
	LEFT,
	LEFT PARA,
	LOWER ESOPHAGUS,
	MEDIAL,
	MID ESOPHAGUS,
	MIDLINE,
	OCCIPITAL,
	POSTERIOR,
	PROXIMAL,
	PULMONARY ART,
	R ATRIUM,
	R CORONARY ART,
	R LIQ,
	R LOQ,
	R PARASTERN,
	R SUBCLAVIAN,
	RSUPRACLAVICULAR,
	R UIQ,
	R UOQ,
	R VENTRICLE,
	RIGHT,
	RIGHT PARA,
	SUBCLAVIAN,
	SUBCOSTAL,
	SUP STERN NOTCH,
	SUPERIOR ,
	SUPRACLAVICULAR,
	SURFACE,
	TRANSGASTRIC,
	TRANSORBITAL,
	TRANSTEMPORAL,
	UPPER ESOPHAGUS,
	VEIN
}

StringValues="USTransducerOrientation" {
	2 CHAMBER,
	4 CHAMBER,
	5 CHAMBER,
	AXIAL,
	CORONAL,
	L PARASAG,
	LONG AXIS,
	LONGITUDINAL,
	OBLIQUE,
	R PARASAG,
	SAGITTAL,
	SHORT AXIS,
	TRANSVERSE
}

StringValues="USAnatomicStructure" {
	4 CH HEART,
	3RD VENTRICLE,
	4TH VENTRICLE,
	AC,
	ADRENAL,
	AMNIOTIC FLUID,
	AORTA,
	APPENDIX,
	ASCENDING COLON,
	BASILAR ART,
	BILE DUCT,
	BLADDER,
	BPD,
	C SPINE,
	CELIAC ART,
	CENTRAL ZONE,
	CEREBELLUM,
	CEREB HEMISPHERE,
	CERVIX,
	COLON,
	CUL DE SAC,
	DESCENDING COLON,
	DUODENUM,
	ENDOMETRIUM,
	FETAL ARMS,
	FETAL DIGITS,
	FETAL HEART,
	FETAL LEGS,
	FETAL POLE,
	FEMUR LENGTH,
	FUNDUS,
	GALLBLADDER,
	GEST SAC,
	HC,
	HEPATIC ART,
	ILEUM,
	ISTHMUS,
	INF MES ART,
	INF VENA CAVA,
	L ACA,
	L AXILLARY A,
	L AXILLARY V,
	L BRACHIAL A,
	L BRACHIAL V,
	L BREAST,
	L BULB,
	L CCA,
	L CFA,
	L CFV,
	L CHOROID PLEXUS,
	L COM ILIAC ART,
	L COM ILIAC V,
	L ECA,
	L EPIDIDYMIS,
	L EXT ILIAC A,
	L EXT ILIAC V,
	L EXT JUG V,
	L EYE,
	L FEMUR,
	L GSV,
	L HEPATIC V,
	L HUMERUS,
	L ICA,
	L ILIAC A,
	L ILIAC V,
	L INT JUG V,
	L KIDNEY,
	L MCA,
	L OVARY,
	L PCA ,
	L POP A,
	L POP V,
	L PROF FEM A,
	L PROF FEM V,
	L RADIAL A,
	L RADIUS,
	L RENAL ART,
	L RENAL V,
	L SEM VESICLE,
	L SAPH V,
	L SFA,
	L SFV,
	L SPINE,
	L SUBCLAVIAN A,
	L SUBCLAVIAN V,
	L TESTIS,
	L THALAMUS,
	L TIB FIB,
	L ULNA,
	L ULNAR ART,
	L VENTRICLE,
	L VERT,
	LAT VENTRICLES,
	LIVER,
	L PORTAL V,
	MID HEPATIC V,
	MORRISONS POUCH,
	OFD,
	PANCREAS,
	PENILE VESSELS,
	PERIPHERAL ZONE,
	PLACENTA,
	PORTAL V,
	PROSTATE,
	R ACA,
	R AXILLARY A,
	R AXILLARY V,
	R BRACHIAL A,
	R BRACHIAL V,
	R BREAST,
	R BULB,
	R CCA,
	R CFA,
	R CFV,
	R CHOROID PLEXUS
	R COM ILIAC ART,
	R COM ILIAC V,
	R ECA,
	R EYE,
	R EPIDIDYMIS,
	R EXT ILIAC A,
	R EXT ILIAC V,
	R EXT JUV V,
	R FEMUR,
	R GSV,
	R HEPATIC V,
	R HUMERUS,
	R ICA,
	R ILIAC A,
	R ILIAC V,
	R INT JUG V,
	R KIDNEY,
	R MCA,
	R OVARY,
	R PCAR POP A,
	R POP V,
	R PROF FEM A,
	R PROF FEM V,
	R RADIAL A,
	R RADIUS,
	R RENAL ART,
	R RENAL V,
	R SAPH V,
	R SEM VESICLE,
	R SFA,
	R SFV,
	R SUBCLAVIAN A,
	R SUBCLAVIAN V,
	R TESTIS,
	R THALAMUS,
	R TIB FIB,
	R ULNA,
	R ULNAR ART,
	R VENTRICLE,
	R VERT,
	R PORTAL V,
	RECTUM,
	RETROPERITONEUM,
	SACRUM,
	SCROTUM,
	SIGMOID,
	SMA,
	SMALL INTESTINE,
	SMV,
	SPLEEN,
	SPLENIC ART,
	SPLENIC V,
	STOMACH,
	TESTICLE,
	T SPINE,
	THYROID,
	TRANSITION ZONE,
	TRANSVERSE COLON,
	SIGMOID,
	UMB CORD,
	UTERINE FUNDUS,
	UTERUS,
	VAGINA,
	YOLK SAC,
	ABD AO,
	AO ANNULUS,
	AO ARCH,
	AO LFLT TIPS,
	AO VALVE,
	ASCENDING AO,
	ASD,
	AZYGOS VEIN,
	CORONARY SINUS,
	DIAGONAL,
	DISTAL LAD,
	DISTAL LCX,
	DISTAL RCA,
	IAS,
	INNOMINATE A,
	INT ATRIAL SEPT,
	INT VENT SEPT,
	IVS,
	L ATRIAL APPEN,
	L ATRIUM,
	L FOOT,
	L GERMINAL MATRX,
	L HIP,
	L SHOULDER,
	L MAIN COR ART,
	L SAPH V,
	L SVC,
	LAD,
	LAD D1,
	LAD D2,
	LAD D3,
	LAD S1,
	LAD S2,
	LCX,
	LCXDM1,
	LCXDM2,
	LIMA,
	LLPV,
	LOWER DESC AO,
	LPA,
	LPV,
	LUPV,
	LV APEX,
	LV BASE,
	LV CAVITY,
	LV MID,
	LVOT,
	MAIN PA,
	MID LAD,
	MID LCX,
	MID RCA,
	MITRAL ANNULUS,
	MITRAL LFLT TIPS,
	MITRAL VALVE,
	OBTUSE MARGINAL,
	PERINEUM,
	PLV COR ART,
	POST DESC ART,
	POST LV BRANCH,
	PROX CIRC,
	PROX LAD,
	PROX LCX,
	PROX RCA,
	PULM ANNULUS,
	PULM VALVE,
	PULM VEIN,
	PV TIPS,
	R ATRIUM,
	R FOOT,
	R GERMINAL MATRX,
	R HIP,
	R PV,
	R SAPH V,
	R SHOULDER,
	RAA,
	RCA,
	RIMA,
	RLPV,
	RPA,
	RUPV,
	RV CAVITY,
	RVOT,
	SAPH V GRAFT LAD,
	SUP VENA CAVA,
	SVG D,
	SVG LAD,
	SVG LCX,
	SVG OM,
	SVG PDA,
	SVG PLV,
	SVG RCA,
	TRICUSPID ANN,
	TRICUSPID TIPS,
	TRICUSPID VALVE,
	UPPER DESC AO,
	VSD
}

StringValues="USTransducerType" {
	SECTOR_PHASED,
	SECTOR_MECH,
	SECTOR_ANNULAR,
	LINEAR,
	CURVED LINEAR,
	SINGLE CRYSTAL,
	SPLIT XTAL CWD,
	IV_PHASED,
	IV_ROT XTAL,
	IV_ROT MIRROR,
	ENDOCAV_PA,
	ENDOCAV_MECH,
	ENDOCAV_CLA,
	ENDOCAV_AA,
	ENDOCAV_LINEAR,
	VECTOR_PHASED
}

StringValues="USImageType4"	{
	0001 = 2D Imaging,
	0002 = M-Mode,
	0003 = 2D Imaging + M-Mode,
	0004 = CW Doppler,
	0005 = 2D Imaging + CW Doppler,
	0006 = M-Mode + CW Doppler,
	0007 = 2D Imaging + M-Mode + CW Doppler,
	0008 = PW Doppler,
	0009 = 2D Imaging + PW Doppler,
	000a = M-Mode + PW Doppler,
	000b = 2D Imaging + M-Mode + PW Doppler,
	000c = CW Doppler + PW Doppler,
	000d = 2D Imaging + CW Doppler + PW Doppler,
	000e = M-Mode + CW Doppler + PW Doppler,
	000f = 2D Imaging + M-Mode + CW Doppler + PW Doppler,
	0010 = Color Doppler,
	0011 = 2D Imaging + Color Doppler,
	0012 = M-Mode + Color Doppler,
	0013 = 2D Imaging + M-Mode + Color Doppler,
	0014 = CW Doppler + Color Doppler,
	0015 = 2D Imaging + CW Doppler + Color Doppler,
	0016 = M-Mode + CW Doppler + Color Doppler,
	0017 = 2D Imaging + M-Mode + CW Doppler + Color Doppler,
	0018 = PW Doppler + Color Doppler,
	0019 = 2D Imaging + PW Doppler + Color Doppler,
	001a = M-Mode + PW Doppler + Color Doppler,
	001b = 2D Imaging + M-Mode + PW Doppler + Color Doppler,
	001c = CW Doppler + PW Doppler + Color Doppler,
	001d = 2D Imaging + CW Doppler + PW Doppler + Color Doppler,
	001e = M-Mode + CW Doppler + PW Doppler + Color Doppler,
	001f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + Color Doppler,
	0020 = Color M-Mode,
	0021 = 2D Imaging + Color M-Mode,
	0022 = M-Mode + Color M-Mode,
	0023 = 2D Imaging + M-Mode + Color M-Mode,
	0024 = CW Doppler + Color M-Mode,
	0025 = 2D Imaging + CW Doppler + Color M-Mode,
	0026 = M-Mode + CW Doppler + Color M-Mode,
	0027 = 2D Imaging + M-Mode + CW Doppler + Color M-Mode,
	0028 = PW Doppler + Color M-Mode,
	0029 = 2D Imaging + PW Doppler + Color M-Mode,
	002a = M-Mode + PW Doppler + Color M-Mode,
	002b = 2D Imaging + M-Mode + PW Doppler + Color M-Mode,
	002c = CW Doppler + PW Doppler + Color M-Mode,
	002d = 2D Imaging + CW Doppler + PW Doppler + Color M-Mode,
	002e = M-Mode + CW Doppler + PW Doppler + Color M-Mode,
	002f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + Color M-Mode,
	0030 = Color Doppler + Color M-Mode,
	0031 = 2D Imaging + Color Doppler + Color M-Mode,
	0032 = M-Mode + Color Doppler + Color M-Mode,
	0033 = 2D Imaging + M-Mode + Color Doppler + Color M-Mode,
	0034 = CW Doppler + Color Doppler + Color M-Mode,
	0035 = 2D Imaging + CW Doppler + Color Doppler + Color M-Mode,
	0036 = M-Mode + CW Doppler + Color Doppler + Color M-Mode,
	0037 = 2D Imaging + M-Mode + CW Doppler + Color Doppler + Color M-Mode,
	0038 = PW Doppler + Color Doppler + Color M-Mode,
	0039 = 2D Imaging + PW Doppler + Color Doppler + Color M-Mode,
	003a = M-Mode + PW Doppler + Color Doppler + Color M-Mode,
	003b = 2D Imaging + M-Mode + PW Doppler + Color Doppler + Color M-Mode,
	003c = CW Doppler + PW Doppler + Color Doppler + Color M-Mode,
	003d = 2D Imaging + CW Doppler + PW Doppler + Color Doppler + Color M-Mode,
	003e = M-Mode + CW Doppler + PW Doppler + Color Doppler + Color M-Mode,
	003f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + Color Doppler + Color M-Mode,
	0040 = 3D Rendering
	0041 = 2D Imaging + 3D Rendering,
	0042 = M-Mode + 3D Rendering,
	0043 = 2D Imaging + M-Mode + 3D Rendering,
	0044 = CW Doppler + 3D Rendering,
	0045 = 2D Imaging + CW Doppler + 3D Rendering,
	0046 = M-Mode + CW Doppler + 3D Rendering,
	0047 = 2D Imaging + M-Mode + CW Doppler + 3D Rendering,
	0048 = PW Doppler + 3D Rendering,
	0049 = 2D Imaging + PW Doppler + 3D Rendering,
	004a = M-Mode + PW Doppler + 3D Rendering,
	004b = 2D Imaging + M-Mode + PW Doppler + 3D Rendering,
	004c = CW Doppler + PW Doppler + 3D Rendering,
	004d = 2D Imaging + CW Doppler + PW Doppler + 3D Rendering,
	004e = M-Mode + CW Doppler + PW Doppler + 3D Rendering,
	004f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + 3D Rendering,
	0050 = Color Doppler + 3D Rendering,
	0051 = 2D Imaging + Color Doppler + 3D Rendering,
	0052 = M-Mode + Color Doppler + 3D Rendering,
	0053 = 2D Imaging + M-Mode + Color Doppler + 3D Rendering,
	0054 = CW Doppler + Color Doppler + 3D Rendering,
	0055 = 2D Imaging + CW Doppler + Color Doppler + 3D Rendering,
	0056 = M-Mode + CW Doppler + Color Doppler + 3D Rendering,
	0057 = 2D Imaging + M-Mode + CW Doppler + Color Doppler + 3D Rendering,
	0058 = PW Doppler + Color Doppler + 3D Rendering,
	0059 = 2D Imaging + PW Doppler + Color Doppler + 3D Rendering,
	005a = M-Mode + PW Doppler + Color Doppler + 3D Rendering,
	005b = 2D Imaging + M-Mode + PW Doppler + Color Doppler + 3D Rendering,
	005c = CW Doppler + PW Doppler + Color Doppler + 3D Rendering,
	005d = 2D Imaging + CW Doppler + PW Doppler + Color Doppler + 3D Rendering,
	005e = M-Mode + CW Doppler + PW Doppler + Color Doppler + 3D Rendering,
	005f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + Color Doppler + 3D Rendering,
	0060 = Color M-Mode + 3D Rendering,
	0061 = 2D Imaging + Color M-Mode + 3D Rendering,
	0062 = M-Mode + Color M-Mode + 3D Rendering,
	0063 = 2D Imaging + M-Mode + Color M-Mode + 3D Rendering,
	0064 = CW Doppler + Color M-Mode + 3D Rendering,
	0065 = 2D Imaging + CW Doppler + Color M-Mode + 3D Rendering,
	0066 = M-Mode + CW Doppler + Color M-Mode + 3D Rendering,
	0067 = 2D Imaging + M-Mode + CW Doppler + Color M-Mode + 3D Rendering,
	0068 = PW Doppler + Color M-Mode + 3D Rendering,
	0069 = 2D Imaging + PW Doppler + Color M-Mode + 3D Rendering,
	006a = M-Mode + PW Doppler + Color M-Mode + 3D Rendering,
	006b = 2D Imaging + M-Mode + PW Doppler + Color M-Mode + 3D Rendering,
	006c = CW Doppler + PW Doppler + Color M-Mode + 3D Rendering,
	006d = 2D Imaging + CW Doppler + PW Doppler + Color M-Mode + 3D Rendering,
	006e = M-Mode + CW Doppler + PW Doppler + Color M-Mode + 3D Rendering,
	006f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + Color M-Mode + 3D Rendering,
	0070 = Color Doppler + Color M-Mode + 3D Rendering,
	0071 = 2D Imaging + Color Doppler + Color M-Mode + 3D Rendering,
	0072 = M-Mode + Color Doppler + Color M-Mode + 3D Rendering,
	0073 = 2D Imaging + M-Mode + Color Doppler + Color M-Mode + 3D Rendering,
	0074 = CW Doppler + Color Doppler + Color M-Mode + 3D Rendering,
	0075 = 2D Imaging + CW Doppler + Color Doppler + Color M-Mode + 3D Rendering,
	0076 = M-Mode + CW Doppler + Color Doppler + Color M-Mode + 3D Rendering,
	0077 = 2D Imaging + M-Mode + CW Doppler + Color Doppler + Color M-Mode + 3D Rendering,
	0078 = PW Doppler + Color Doppler + Color M-Mode + 3D Rendering,
	0079 = 2D Imaging + PW Doppler + Color Doppler + Color M-Mode + 3D Rendering,
	007a = M-Mode + PW Doppler + Color Doppler + Color M-Mode + 3D Rendering,
	007b = 2D Imaging + M-Mode + PW Doppler + Color Doppler + Color M-Mode + 3D Rendering,
	007c = CW Doppler + PW Doppler + Color Doppler + Color M-Mode + 3D Rendering,
	007d = 2D Imaging + CW Doppler + PW Doppler + Color Doppler + Color M-Mode + 3D Rendering,
	007e = M-Mode + CW Doppler + PW Doppler + Color Doppler + Color M-Mode + 3D Rendering,
	007f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + Color Doppler + Color M-Mode + 3D Rendering
	0100 = Color Power Mode,
	0101 = 2D Imaging + Color Power Mode,
	0102 = M-Mode + Color Power Mode,
	0103 = 2D Imaging + M-Mode + Color Power Mode,
	0104 = CW Doppler + Color Power Mode,
	0105 = 2D Imaging + CW Doppler + Color Power Mode,
	0106 = M-Mode + CW Doppler + Color Power Mode,
	0107 = 2D Imaging + M-Mode + CW Doppler + Color Power Mode,
	0108 = PW Doppler + Color Power Mode,
	0109 = 2D Imaging + PW Doppler + Color Power Mode,
	010a = M-Mode + PW Doppler + Color Power Mode,
	010b = 2D Imaging + M-Mode + PW Doppler + Color Power Mode,
	010c = CW Doppler + PW Doppler + Color Power Mode,
	010d = 2D Imaging + CW Doppler + PW Doppler + Color Power Mode,
	010e = M-Mode + CW Doppler + PW Doppler + Color Power Mode,
	010f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + Color Power Mode,
	0110 = Color Doppler + Color Power Mode,
	0111 = 2D Imaging + Color Doppler + Color Power Mode,
	0112 = M-Mode + Color Doppler + Color Power Mode,
	0113 = 2D Imaging + M-Mode + Color Doppler + Color Power Mode,
	0114 = CW Doppler + Color Doppler + Color Power Mode,
	0115 = 2D Imaging + CW Doppler + Color Doppler + Color Power Mode,
	0116 = M-Mode + CW Doppler + Color Doppler + Color Power Mode,
	0117 = 2D Imaging + M-Mode + CW Doppler + Color Doppler + Color Power Mode,
	0118 = PW Doppler + Color Doppler + Color Power Mode,
	0119 = 2D Imaging + PW Doppler + Color Doppler + Color Power Mode,
	011a = M-Mode + PW Doppler + Color Doppler + Color Power Mode,
	011b = 2D Imaging + M-Mode + PW Doppler + Color Doppler + Color Power Mode,
	011c = CW Doppler + PW Doppler + Color Doppler + Color Power Mode,
	011d = 2D Imaging + CW Doppler + PW Doppler + Color Doppler + Color Power Mode,
	011e = M-Mode + CW Doppler + PW Doppler + Color Doppler + Color Power Mode,
	011f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + Color Doppler + Color Power Mode,
	0120 = Color M-Mode + Color Power Mode,
	0121 = 2D Imaging + Color M-Mode + Color Power Mode,
	0122 = M-Mode + Color M-Mode + Color Power Mode,
	0123 = 2D Imaging + M-Mode + Color M-Mode + Color Power Mode,
	0124 = CW Doppler + Color M-Mode + Color Power Mode,
	0125 = 2D Imaging + CW Doppler + Color M-Mode + Color Power Mode,
	0126 = M-Mode + CW Doppler + Color M-Mode + Color Power Mode,
	0127 = 2D Imaging + M-Mode + CW Doppler + Color M-Mode + Color Power Mode,
	0128 = PW Doppler + Color M-Mode + Color Power Mode,
	0129 = 2D Imaging + PW Doppler + Color M-Mode + Color Power Mode,
	012a = M-Mode + PW Doppler + Color M-Mode + Color Power Mode,
	012b = 2D Imaging + M-Mode + PW Doppler + Color M-Mode + Color Power Mode,
	012c = CW Doppler + PW Doppler + Color M-Mode + Color Power Mode,
	012d = 2D Imaging + CW Doppler + PW Doppler + Color M-Mode + Color Power Mode,
	012e = M-Mode + CW Doppler + PW Doppler + Color M-Mode + Color Power Mode,
	012f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + Color M-Mode + Color Power Mode,
	0130 = Color Doppler + Color M-Mode + Color Power Mode,
	0131 = 2D Imaging + Color Doppler + Color M-Mode + Color Power Mode,
	0132 = M-Mode + Color Doppler + Color M-Mode + Color Power Mode,
	0133 = 2D Imaging + M-Mode + Color Doppler + Color M-Mode + Color Power Mode,
	0134 = CW Doppler + Color Doppler + Color M-Mode + Color Power Mode,
	0135 = 2D Imaging + CW Doppler + Color Doppler + Color M-Mode + Color Power Mode,
	0136 = M-Mode + CW Doppler + Color Doppler + Color M-Mode + Color Power Mode,
	0137 = 2D Imaging + M-Mode + CW Doppler + Color Doppler + Color M-Mode + Color Power Mode,
	0138 = PW Doppler + Color Doppler + Color M-Mode + Color Power Mode,
	0139 = 2D Imaging + PW Doppler + Color Doppler + Color M-Mode + Color Power Mode,
	013a = M-Mode + PW Doppler + Color Doppler + Color M-Mode + Color Power Mode,
	013b = 2D Imaging + M-Mode + PW Doppler + Color Doppler + Color M-Mode + Color Power Mode,
	013c = CW Doppler + PW Doppler + Color Doppler + Color M-Mode + Color Power Mode,
	013d = 2D Imaging + CW Doppler + PW Doppler + Color Doppler + Color M-Mode + Color Power Mode,
	013e = M-Mode + CW Doppler + PW Doppler + Color Doppler + Color M-Mode + Color Power Mode,
	013f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + Color Doppler + Color M-Mode + Color Power Mode,
	0140 = 3D Rendering + Color Power Mode
	0141 = 2D Imaging + 3D Rendering + Color Power Mode,
	0142 = M-Mode + 3D Rendering + Color Power Mode,
	0143 = 2D Imaging + M-Mode + 3D Rendering + Color Power Mode,
	0144 = CW Doppler + 3D Rendering + Color Power Mode,
	0145 = 2D Imaging + CW Doppler + 3D Rendering + Color Power Mode,
	0146 = M-Mode + CW Doppler + 3D Rendering + Color Power Mode,
	0147 = 2D Imaging + M-Mode + CW Doppler + 3D Rendering + Color Power Mode,
	0148 = PW Doppler + 3D Rendering + Color Power Mode,
	0149 = 2D Imaging + PW Doppler + 3D Rendering + Color Power Mode,
	014a = M-Mode + PW Doppler + 3D Rendering + Color Power Mode,
	014b = 2D Imaging + M-Mode + PW Doppler + 3D Rendering + Color Power Mode,
	014c = CW Doppler + PW Doppler + 3D Rendering + Color Power Mode,
	014d = 2D Imaging + CW Doppler + PW Doppler + 3D Rendering + Color Power Mode,
	014e = M-Mode + CW Doppler + PW Doppler + 3D Rendering + Color Power Mode,
	014f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + 3D Rendering + Color Power Mode,
	0150 = Color Doppler + 3D Rendering + Color Power Mode,
	0151 = 2D Imaging + Color Doppler + 3D Rendering + Color Power Mode,
	0152 = M-Mode + Color Doppler + 3D Rendering + Color Power Mode,
	0153 = 2D Imaging + M-Mode + Color Doppler + 3D Rendering + Color Power Mode,
	0154 = CW Doppler + Color Doppler + 3D Rendering + Color Power Mode,
	0155 = 2D Imaging + CW Doppler + Color Doppler + 3D Rendering + Color Power Mode,
	0156 = M-Mode + CW Doppler + Color Doppler + 3D Rendering + Color Power Mode,
	0157 = 2D Imaging + M-Mode + CW Doppler + Color Doppler + 3D Rendering + Color Power Mode,
	0158 = PW Doppler + Color Doppler + 3D Rendering + Color Power Mode,
	0159 = 2D Imaging + PW Doppler + Color Doppler + 3D Rendering + Color Power Mode,
	015a = M-Mode + PW Doppler + Color Doppler + 3D Rendering + Color Power Mode,
	015b = 2D Imaging + M-Mode + PW Doppler + Color Doppler + 3D Rendering + Color Power Mode,
	015c = CW Doppler + PW Doppler + Color Doppler + 3D Rendering + Color Power Mode,
	015d = 2D Imaging + CW Doppler + PW Doppler + Color Doppler + 3D Rendering + Color Power Mode,
	015e = M-Mode + CW Doppler + PW Doppler + Color Doppler + 3D Rendering + Color Power Mode,
	015f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + Color Doppler + 3D Rendering + Color Power Mode,
	0160 = Color M-Mode + 3D Rendering + Color Power Mode,
	0161 = 2D Imaging + Color M-Mode + 3D Rendering + Color Power Mode,
	0162 = M-Mode + Color M-Mode + 3D Rendering + Color Power Mode,
	0163 = 2D Imaging + M-Mode + Color M-Mode + 3D Rendering + Color Power Mode,
	0164 = CW Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0165 = 2D Imaging + CW Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0166 = M-Mode + CW Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0167 = 2D Imaging + M-Mode + CW Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0168 = PW Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0169 = 2D Imaging + PW Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	016a = M-Mode + PW Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	016b = 2D Imaging + M-Mode + PW Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	016c = CW Doppler + PW Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	016d = 2D Imaging + CW Doppler + PW Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	016e = M-Mode + CW Doppler + PW Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	016f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0170 = Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0171 = 2D Imaging + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0172 = M-Mode + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0173 = 2D Imaging + M-Mode + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0174 = CW Doppler + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0175 = 2D Imaging + CW Doppler + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0176 = M-Mode + CW Doppler + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0177 = 2D Imaging + M-Mode + CW Doppler + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0178 = PW Doppler + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	0179 = 2D Imaging + PW Doppler + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	017a = M-Mode + PW Doppler + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	017b = 2D Imaging + M-Mode + PW Doppler + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	017c = CW Doppler + PW Doppler + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	017d = 2D Imaging + CW Doppler + PW Doppler + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	017e = M-Mode + CW Doppler + PW Doppler + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode,
	017f = 2D Imaging + M-Mode + CW Doppler + PW Doppler + Color Doppler + Color M-Mode + 3D Rendering + Color Power Mode

}

StringValues="IVUSAcquisition" {
	MOTOR_PULLBACK,
	MANUAL_PULLBACK,
	SELECTIVE,
	GATED_PULLBACK
}

StringValues="FrameOfInterestTypeForUS" {
	HIGHMI,
	RWAVE,
	TRIGGER,
	ENDSYSTOLE
}

StringValues="USStageName" {
	PRE-EXERCISE,
	POST-EXERCISE,
	PEAK-EXERCISE,
	RECOVERY,
	BASELINE,
	LOW DOSE,
	PEAK DOSE
}

StringValues="UltrasoundAcquisitionGeometry" {
	APEX
}

StringValues="UltrasoundAcquisitionGeometryPatient" {
	PATIENT
}

StringValues="PatientFrameOfReferenceSource" {
	TABLE,
	ESTIMATED,
	REGISTRATION
}

StringValues="PatientFrameOfReferenceSourceTable" {
	TABLE
}

StringValues="USOrIVUSModality" {
	US,
	IVUS
}

StringValues="PerformedProtocolType" {
	STAGED,
	NON_STAGED
}

StringValues="DimensionOrganizationType3DOr3DTemporal" {
	3D,
	3D_TEMPORAL
}

StringValues="PositionMeasuringDeviceUsed" {
	RIGID,
	FREEHAND
}

StringValues="PositionMeasuringDeviceUsedRigid" {
	RIGID
}

StringValues="EnhancedUSVolumeDataType" {
	TISSUE_INTENSITY,
	TISSUE_VELOCITY,
	FLOW_VELOCITY,
	FLOW_POWER,
	FLOW_VARIANCE,
	ELASTICITY,
	PERFUSION,
	SOUND_SPEED,
	ATTENUATION
}

StringValues="DataPathAssignment" {
	PRIMARY_PVALUES,
	PRIMARY_SINGLE,
	SECONDARY_SINGLE,
	SECONDARY_HIGH,
	SECONDARY_LOW
}

StringValues="BlendingLUT1TransferFunction" {
	CONSTANT,
	ALPHA_1,
	ALPHA_2,
	TABLE
}

StringValues="BlendingLUT2TransferFunction" {
	CONSTANT,
	ONE_MINUS,
	ALPHA_1,
	ALPHA_2,
	TABLE
}

StringValues="DataPathID" {
	PRIMARY,
	SECONDARY
}

StringValues="RGBLUTTransferFunction" {
	EQUAL_RGB,
	TABLE
}

StringValues="AlphaLUTTransferFunction" {
	NONE,
	IDENTITY,
	TABLE
}

StringValues="VolumeToTransducerRelationship" {
	FIXED,
	POSITION_VAR,
	ORIENTATION_VAR,
	VARIABLE
}

StringValues="VolumeToTransducerRelationshipFixed" {
	FIXED
}

StringValues="BodyPartExaminedBreast" {
	BREAST
}

StringValues="BreastCodeValue" {
	T-04000
}

StringValues="BreastCodingSchemeDesignator" {
	SRT
}

StringValues="BreastCodeMeaning" {
	Breast
}

StringValues="CoronalCodeValue" {
	G-A138
}

StringValues="CoronalCodingSchemeDesignator" {
	SRT
}

StringValues="CoronalCodeMeaning" {
	Coronal
}

StringValues="TransducerScanPatternCodeSequenceCodeValue" {
	125242
}

StringValues="TransducerScanPatternCodeSequenceCodingSchemeDesignator" {
	DCM
}

StringValues="TransducerScanPatternCodeSequenceCodeMeaning" {
	Volume scan pattern
}

StringValues="TransducerGeometryCodeSequenceCodeValueForReflection" {
	125253
}

StringValues="TransducerGeometryCodeSequenceCodeMeaningForReflection" {
	Curved ultrasound transducer geometry
}

StringValues="TransducerGeometryCodeSequenceCodingSchemeDesignator" {
	DCM
}

StringValues="TransducerGeometryCodeSequenceCodeValueForTransmission" {
	125252
}

StringValues="TransducerGeometryCodeSequenceCodeMeaningForTransmission" {
	Linear ultrasound transducer geometry
}

StringValues="TransducerBeamSteeringCodeSequenceCodeValue" {
	125258
}

StringValues="TransducerBeamSteeringCodeSequenceCodingSchemeDesignator" {
	DCM
}

StringValues="TransducerBeamSteeringCodeSequenceCodeMeaning" {
	Mechanical beam steering
}

StringValues="TransducerApplicationCodeSequenceCodeValue" {
	125261
}

StringValues="TransducerApplicationCodeSequenceCodingSchemeDesignator" {
	DCM
}

StringValues="TransducerApplicationCodeSequenceCodeMeaning" {
	External
}

StringValues="QTUSImageAndFrameTypeValue3" {
	TISSUE_INTENSITY,
	SOUND_SPEED,
	ATTENUATION
}

StringValues="QTUSEnhancedUSVolumeDataType" {
	TISSUE_INTENSITY,
	SOUND_SPEED,
	ATTENUATION
}

StringValues="EnhancedUSVolumeDataTypeTissueIntensity" {
	TISSUE_INTENSITY
}

StringValues="EnhancedUSVolumeDataTypeAttenuation" {
	ATTENUATION
}

StringValues="EnhancedUSVolumeDataTypeSoundSpeed" {
	SOUND_SPEED
}

StringValues="QTUSImageAndFrameTypeValue3TissueIntensity" {
	TISSUE_INTENSITY
}

StringValues="QTUSImageAndFrameTypeValue3Attenuation" {
	ATTENUATION
}

StringValues="QTUSImageAndFrameTypeValue3SoundSpeed" {
	SOUND_SPEED
}

StringValues="QTUSDimensionDescriptionLabel" {
	time,
	position,
	data type
}

StringValues="QTUSRealWorldValueMappingLUTExplanation" {
	Atten dB/m/MHz,
	Speed Sound m/s,
	Imp Mismatch dB
}

StringValues="QTUSRealWorldValueMappingLUTLabel" {
	Atten dB/m/MHz,
	Speed Sound m/s,
	Imp Mismatch dB
}

StringValues="QTUSRealWorldValueMappingMeasurementUnitsCodeValue" {
	dB/m/MHz,
	m/s,
	dB
}

StringValues="QTUSRealWorldValueMappingMeasurementUnitsCodeMeaning" {
	dB/m/MHz,
	m/s,
	dB
}

StringValues="CodeValueForLOINCBreastUltrasound" {
	24601-7
}

StringValues="CodeMeaningForLOINCBreastUltrasound" {
	Breast US
}

StringValues="NuclearMedicineSeriesTypeRetired" {
	STATIC,
	DYNAMIC,
	GATED,
	WHOLE BODY,
	STEP_SHOOT TOMO,
	CONTINUOUS TOMO,
	GATED TOMO
}

StringValues="WholeBodyTechnique" {
	1PS = One Pass,
	2PS = Two Pass,
	PCN = Patient Contour Following Employed 
	DIV = Diverging Collimator Used,
	MSP = Multiple Static Images Collected Into a Whole Body Image
}

StringValues="NMFieldOfViewShape" {
	RECTANGLE,
	ROUND,
	HEXAGONAL
}

StringValues="CollimatorType" {
	PARA = Parallel,
	PINH = PinHole,
	FANB = Fan Beam,
	CONE = Cone Beam,
	SLNT = Slant Hole,
	ASTG = Astigmatic
}

StringValues="AcquisitionTerminationCondition" {
	CNTS = Counts,
	DENS = Density,
	MANU = Manual,
	OVFL = Data Overflow,
	TIME = Time,
	TRIG = Physiological Trigger
}

StringValues="NMCorrectedImageRetired" {
	UNIF = Flood Corrected,
	COR  = Center of Rotation Corrected,
	NCO  = Non-circular Orbit Corrected,
	DECY = Decay Corrected,
	ATTN = Attenuation Corrected,
	SCAT = Scatter Corrected,
	DTIM = Dead Time Corrected
}


StringValues="NMPhotometricInterpretation" {
	MONOCHROME2,
	PALETTE COLOR
}

StringValues="NMImageTypeValue2"	{
	PRIMARY
}

StringValues="NMImageTypeValue3"	{
	STATIC,
	DYNAMIC,
	GATED,
	WHOLE BODY,
	TOMO,
	GATED TOMO,
	RECON TOMO,
	RECON GATED TOMO
}

StringValues="NMImageTypeValue4"	{
	EMISSION,
	TRANSMISSION
}

StringValues="NMAcquisitionTerminationCondition" {
	CNTS = preset count limit was reached,
	DENS = preset count density was reached,
	MANU = acquisition was terminated manually,
	OVFL = acquisition was terminated automatically by pixel data overflow condition,
	TIME = preset time limit was reached,
	TRIG = preset number Of physiological triggers was reached,
}

StringValues="NMCorrectedImage"	{
	UNIF = flood corrected,
	COR = center Of rotation corrected,
	NCO = non-circular orbit corrected,
	DECY = decay corrected,
	ATTN = attenuation corrected,
	SCAT = scatter corrected,
	DTIM = dead time corrected,
	NRGY = energy corrected,
	LIN = linearity corrected,
	MOTN = motion corrected,
	CLN = count loss normalization
}

StringValues="NMWholeBodyTechnique"	{
	1PS = one pass,
	2PS = two pass, 
	PCN = patient contour following employed,
	MSP = multiple static frames collected into a whole body frame
}

StringValues="EKG"	{
	EKG
}

StringValues="NMCollimatorType"	{
	PARA = Parallel,
	PINH = Pinhole,
	FANB = Fan-beam,
	CONE = Cone-beam,
	SLNT = Slant hole,
	ASTG = Astigmatic,
	DIVG = Diverging,
	NONE = No collimator,
	UNKN = Unknown
}

StringValues="NMTypeOfDetectorMotion"	{
	STEP AND SHOOT = Interrupted motion - acquire only while stationary,
	CONTINUOUS = Gantry motion and acquisition are simultaneous and continuous,
	ACQ DURING STEP = Interrupted motion - acquisition is continuous
}

StringValues="PositionerMotion" {
	STATIC,
	DYNAMIC
}

StringValues="TableMotion" {
	STATIC,
	DYNAMIC
}

StringValues="NMPhaseDescription" {
	FLOW,
	WASHOUT,
	UPTAKE,
	EMPTYING,
	EXCRETION
}

StringValues="CardiacSliceProgressionDirection" {
	APEX_TO_BASE,
	BASE_TO_APEX,
	ANT_TO_INF,
	INF_TO_ANT,
	SEPTUM_TO_WALL,
	WALL_TO_SEPTUM
}


StringValues="PETUnits" {
	CNTS = counts,
	NONE = unitless,
	CM2 = centimeter**2,
	PCNT = percent,
	CPS = counts/second,
	BQML = Becquerels/milliliter,
	MGMINML = milligram/minute/milliliter,
	UMOLMINML = micromole/minute/milliliter,
	MLMING = milliliter/minute/gram,
	MLG = milliliter/gram,
	1CM = 1/centimeter,
	UMOLML = micromole/milliliter,
	PROPCNTS = proportional to counts,
	PROPCPS = proportional to counts/sec,
	MLMINML = milliliter/minute/milliliter,
	MLML = milliliter/milliliter,
	GML = grams/milliliter,
	STDDEV = standard deviations
}

StringValues="SUVType"	{
	BSA,
	BW,
	LBM,
	LBMJAMES128,
	LBMJANMA,
	IBW 
}

StringValues="CountsSource"	{
	EMISSION,
	TRANSMISSION
}

StringValues="PETSeriesType1" {
	STATIC,
	DYNAMIC,
	GATED,
	WHOLE BODY
}

StringValues="PETSeriesType2" {
	IMAGE,
	REPROJECTION
}

StringValues="ReprojectionMethod" {
	SUM,
	MAX PIXEL
}

StringValues="CorrectedImage" {
	DECY = decay corrected,
	ATTN = attenuation corrected,
	SCAT = scatter corrected,
	DTIM = dead time corrected,
	MOTN = gantry motion corrected (e.g. wobble or clamshell),
	PMOT = patient motion corrected,
	CLN  = count loss normalization (correction for count loss in gated Time Slots),
	RAN  = randoms corrected,
	RADL = non-uniform radial sampling corrected,
	DCAL = sensitivity calibrated using dose calibrator,
	NORM = detector normalization
}

StringValues="RandomsCorrectionMethod" {
	NONE = no randoms correction,
	DLYD = delayed event subtraction,
	SING = singles estimation
}

StringValues="RandomsCorrectionMethodEnhanced" {
	DLYD = delayed event subtraction,
	SING = singles estimation,
	PDDL = processed delays
}

StringValues="DecayCorrection" {
	NONE = no decay correction,
	START= acquisition start time,
	ADMIN = radiopharmaceutical administration time
}

StringValues="AcquisitionStartCondition" {
	DENS = density (counts/sec),
	RDD = relative density difference (change in counts/sec),
	MANU = manual,
	TIME = time,
	AUTO = automatic, when ready,
	TRIG = physiological trigger
}

StringValues="PETAcquisitionTerminationCondition" {
	CNTS = counts,
	DENS = density (counts/sec),
	RDD = relative density difference (change in counts/sec),
	MANU = manual,
	OVFL = data overflow,
	TIME = time,
	TRIG = physiological trigger
}

StringValues="PETFieldOfViewShape" {
	CYLINDRICAL RING
	HEXAGONAL
	MULTIPLE PLANAR
}

StringValues="TypeOfDetectorMotion" {
	NONE = stationary gantry,
	STEP AND SHOOT = Interrupted motion, acquire only while stationary,
	CONTINUOUS = Gantry motion and acquisition are simultaneous and continuous,
	WOBBLE = wobble motion,
	CLAMSHELL = clamshell motion
}

StringValues="PETCollimatorType" {
	NONE = no collimator,
	RING = transverse septa
}

StringValues="SecondaryCountsType" {
	DLYD=delayed events,
	SCAT=scattered events in secondary window,
	SING=singles,
	DTIM=events lost due to deadtime
}

StringValues="FramingType" {
	FORW = forward,
	BACK = backward,
	PCNT  = forward/backward by percentage
}

StringValues="PETImageTypeValue2"	{
	PRIMARY
}

StringValues="PETTypeOfData"	{
	SYSRATE = system count rate,
	SLICERATE = slice count rate,
	BLDSMPL = blood samples,
	CPM = cardiac polar map
}

StringValues="PETAxisUnits"	{
	SEC = seconds,
	CNTS = counts,
	MM = millimeters,
	NONE = unitless,
	CM = centimeters
	CM2 = cm**2,
	DEG = degrees,
	MILS = milliseconds,
	PCNT = percent,
	CPS = counts/second,
	BQML = Becquerels/milliliter,
	MGMINML = milligram/minute/milliliter,
	UMOLMINML = micromole/minute/milliliter,
	MLMING = milliliter/minute/gram,
	MLG = milliliter/gram,
	1CM = 1/centimeter,
	UMOLML = micromole/milliliter,
	PROPCNTS = proportional to counts,
	PROPCPS = proportional to counts/sec,
	MLMINML = milliliter/minute/milliliter,
	MLML = milliliter/milliliter,
	GML = grams/milliliter,
	STDDEV = standard deviations
}

StringValues="CountsIncluded"	{
	TRUES,
	SCATTER,
	RANDOMS,
	SINGLES
}

StringValues="SliceProgressionDirection"	{
	APEX_TO_BASE,
	BASE_TO_APEX
}

StringValues="PETModality" {
	PT
}

StringValues="EnhancedPETTypeOfDetectorMotion" {
	STATIONARY,
	STEP AND SHOOT,
	CONTINUOUS,
	WOBBLE,
	CLAMSHELL 
}

StringValues="DetectorGeometry" {
	CYLINDRICAL_RING,
	CYL_RING_PARTIAL,
	MULTIPLE_PLANAR,
	MUL_PLAN_PARTIAL
}

StringValues="PETSliceProgressionDirection" {
	APEX_TO_BASE,
	BASE_TO_APEX,
	ANT_TO_INF,
	INF_TO_ANT,
	SEPTUM_TO_WALL,
	WALL_TO_SEPTUM
}

StringValues="EnhancedPETAcquisitionStartCondition" {
	DENS,
	RDD,
	MANU,
	AUTO,
	CARD_TRIG,
	RESP_TRIG
}

StringValues="EnhancedPETAcquisitionTerminationCondition" {
	CNTS,
	DENS,
	RDD,
	MANU,
	OVFL,
	TIME,
	CARD_TRIG,
	RESP_TRIG
}

StringValues="AttenuationCorrectionSource" {
	CT,
	MR,
	POSITRON SOURCE,
	SINGLE PHOTON,
	CALCULATED
}

StringValues="AttenuationCorrectionTemporalRelationship" {
	CONCURRENT, 
	SEPARATE,
	SIMULTANEOUS
}

StringValues="PETReconstructionType" {
	2D,
	3D,
	3D_REBINNED
}

StringValues="PETReconstructionAlgorithm" {
	FILTER_BACK_PROJ,
	REPROJECTION,
	RAMLA,
	MLEM
}


StringValues="RTModality"	{
	RTIMAGE = RT Image,
	RTDOSE = RT Dose,
	RTSTRUCT = RT Structure Set,
	RTPLAN = RT Plan,
	RTRECORD = RT Treatment Record
}

StringValues="RTImageTypeValue3"	{
	DRR = digitally reconstructed radiograph,
	PORTAL = digital portal image or portal film image,
	SIMULATOR = conventional simulator image,
	RADIOGRAPH = radiographic image,
	BLANK = image pixels set to background value,
	FLUENCE = fluence map
}

StringValues="ReportedValuesOrigin"	{
	OPERATOR = manually entered by operator,
	PLAN = planned parameter values,
	ACTUAL = electronically recorded
}

StringValues="RTImagePlane"	{
	NORMAL = image plane normal to beam axis,
	NON_NORMAL = image plane non-normal to beam axis
}

StringValues="PrimaryDosimeterUnit"	{
	MU = Monitor Unit,
	MINUTE = minute
}

StringValues="IonPrimaryDosimeterUnit"	{
	MU = Monitor Unit,
	NP = number of particles
}

StringValues="RTBeamLimitingDeviceType"	{
	X = symmetric jaw pair in IEC X direction,
	Y = symmetric jaw pair in IEC Y direction,
	ASYMX = asymmetric jaw pair in IEC X direction,
	ASYMY = asymmetric pair in IEC Y direction,
	MLCX = multileaf (multi-element) jaw pair in IEC X direction,
	MLCY = multileaf (multi-element) jaw pair in IEC Y direction
}

StringValues="ApplicatorType"	{
	ELECTRON_SQUARE = square electron applicator,
	ELECTRON_RECT = rectangular electron applicator,
	ELECTRON_CIRC = circular electron applicator,
	ELECTRON_SHORT = short electron applicator,
	ELECTRON_OPEN = open (dummy) electron applicator,
	INTRAOPERATIVE = intraoperative (custom) applicator,
	STEREOTACTIC = stereotactic applicator
}

StringValues="IonApplicatorType"	{
	ION_SQUARE = square ion applicator,
	ION_RECT = rectangular ion applicator,
	ION_CIRC = circular ion applicator,
	ION_SHORT = short ion applicator,
	ION_OPEN = open (dummy) ion applicator,
	INTRAOPERATIVE = intraoperative (custom) applicator,
	STEREOTACTIC = stereotactic applicator
}

StringValues="BlockType"	{
	SHIELDING = blocking material is inside contour,
	APERTURE = blocking material is outside contour
}

StringValues="BlockDivergence"	{
	PRESENT = block edges are shaped for beam divergence,
	ABSENT = block edges are not shaped for beam divergence
}

StringValues="BlockMountingPosition"	{
	PATIENT_SIDE = the block is mounted on the side of the Block Tray which is towards the patient,
	SOURCE_SIDE = the block is mounted on the side of the Block Tray which is towards the radiation source
}

StringValues="DoseUnits"	{
	GY = Gray,
	RELATIVE = dose relative to implicit reference value
}

StringValues="TissueHeterogeneityCorrection"	{
	IMAGE,
	ROI_OVERRIDE,
	WATER 
}

StringValues="DoseType"	{
	PHYSICAL = physical dose,
	EFFECTIVE = physical dose after correction for biological effect using user-defined modeling technique,
	ERROR = difference between desired and planned dose
}

StringValues="DoseSummationType"	{
	PLAN = dose calculated for entire delivery of all fraction groups of RT Plan,
	MULTI_PLAN = dose calculated for entire delivery of 2 or more RT Plans,
	FRACTION = dose calculated for entire delivery of a single Fraction Group within RT Plan,
	BEAM = dose calculated for entire delivery of one or more Beams within RT Plan,
	BRACHY = dose calculated for entire delivery of one or more Brachy Application Setups within RT Plan,
	FRACTION_SESSION = dose calculated for a single session (“fraction”) of a single Fraction Group within RT Plan,
	BEAM_SESSION = dose calculated for a single session (“fraction”) of one or more Beams within RT Plan,
	BRACHY_SESSION = dose calculated for a single session (“fraction”) of one or more Brachy Application Setups within RT Plan,
	CONTROL_POINT = dose calculated for one or more Control Points within a Beam for a single fraction
}

StringValues="DVHROIContributionType"	{
	INCLUDED
	EXCLUDED
}

StringValues="DVHType"	{
	DIFFERENTIAL = differential dose-volume histogram,
	CUMULATIVE = cumulative dose-volume histogram,
	NATURAL = natural dose-volume histogram
}

StringValues="DVHDoseUnits"	{
	GY = Gray,
	RELATIVE = dose relative to reference value specified in DVH Normalization Dose Value
}

StringValues="DVHDoseType"	{
	PHYSICAL = physical dose,
	EFFECTIVE = physical dose after correction for biological effect using user-defined modeling technique,
	ERROR = difference between desired and planned dose
}

StringValues="DVHVolumeUnits"	{
	CM3 = cubic centimeters,
	PERCENT = percent,
	PER_U = volume per u
}

StringValues="TransformationType"	{
	HOMOGENEOUS
}

StringValues="ROIGenerationAlgorithm"	{
	AUTOMATIC = calculated ROI,
	SEMIAUTOMATIC = ROI calculated with user assistance,
	MANUAL = user-entered ROI
}

StringValues="ContourGeometricType"	{
	POINT = single point,
	OPEN_PLANAR = open contour containing coplanar points,
	OPEN_NONPLANAR = open contour containing non-coplanar points,
	CLOSED_PLANAR = closed contour (polygon) containing coplanar points
}

StringValues="RTROIRelationship"	{
	SAME = ROIs represent the same entity,
	ENCLOSED = referenced ROI completely encloses referencing ROI,
	ENCLOSING = referencing ROI completely encloses referenced ROI
}

StringValues="RTROIInterpretedType"	{
	EXTERNAL = external patient contour,
	PTV = Planning Target Volume (as defined in ICRU50),
	CTV = Clinical Target Volume (as defined in ICRU50),
	GTV = Gross Tumor Volume (as defined in ICRU50),
	TREATED_VOLUME = Treated Volume (as defined in ICRU50),
	IRRAD_VOLUME = Irradiated Volume (as defined in ICRU50),
	BOLUS = patient bolus to be used for external beam therapy,
	AVOIDANCE = region in which dose is to be minimized,
	ORGAN = patient organ,
	MARKER = patient marker,
	REGISTRATION = registration ROI,
	ISOCENTER = treatment isocenter to be used for external beam therapy,
	CONTRAST_AGENT = volume into which a contrast agent has been injected,
	CAVITY = patient anatomical cavity,
	BRACHY_CHANNEL = brachytherapy channel,
	BRACHY_ACCESSORY = brachytherapy accessory device,
	BRACHY_SRC_APP = brachytherapy source applicator,
	BRACHY_CHNL_SHLD = brachytherapy channel shield,
	SUPPORT = external patient support device,
	FIXATION = external patient fixation or immobilisation device,
	DOSE_REGION = ROI to be used as a dose reference,
	CONTROL = ROI to be used in control of dose optimization and calculation
}

StringValues="ROIPhysicalProperty"	{
	REL_MASS_DENSITY = mass density relative to water,
	REL_ELEC_DENSITY = electron density relative to water,
	EFFECTIVE_Z = effective atomic number,
	EFF_Z_PER_A = ratio of effective atomic number to mass (AMU-1),
	REL_STOP_RATIO = linear stopping power ratio relative to water,
	ELEM_FRACTION = elemental composition of the material
}

StringValues="PlanIntent"	{
	CURATIVE,
	PALLIATIVE,
	PROPHYLACTIC,
	VERIFICATION,
	MACHINE_QA,
	RESEARCH,
	SERVICE 
}

StringValues="RTPlanGeometry"	{
	PATIENT = RT Structure Set exists,
	TREATMENT_DEVICE = RT Structure Set does not exist
}

StringValues="RTPlanRelationship"	{
	PRIOR = plan delivered prior to current treatment,
	ALTERNATIVE = alternative plan prepared for current treatment,
	PREDECESSOR = plan used in derivation of current plan,
	VERIFIED_PLAN = plan which is verified using the current plan
}

StringValues="RTPlanRelationshipVerifiedPlan"	{
	VERIFIED_PLAN = plan which is verified using the current plan
}

StringValues="DoseReferenceStructureType"	{
	POINT = dose reference point specified as ROI,
	VOLUME = dose reference volume specified as ROI,
	COORDINATES = point specified by Dose Reference Point Coordinates (300A,0018),
	SITE = dose reference clinical site
}

StringValues="DoseReferenceType"	{
	TARGET = treatment target (corresponding to GTV, PTV, or CTV in ICRU50),
	ORGAN_AT_RISK = Organ at Risk (as defined in ICRU50)
}

StringValues="SetupTechnique"	{
	ISOCENTRIC,
	FIXED_SSD,
	TBI,
	BREAST_BRIDGE,
	SKIN_APPOSITION
}

StringValues="SetupDeviceType"	{
	LASER_POINTER,
	DISTANCE_METER,
	TABLE_HEIGHT,
	MECHANICAL_PTR,
	ARC
}

StringValues="BeamType"	{
	STATIC = all beam parameters remain unchanged during delivery,
	DYNAMIC = one or more beam parameters changes during delivery
}

StringValues="RadiationType"	{
	PHOTON,
	ELECTRON,
	NEUTRON,
	PROTON
}

StringValues="FluenceMode"	{
	STANDARD,
	NON_STANDARD
}

StringValues="IonRadiationType"	{
	PHOTON,
	PROTON,
	ION
}

StringValues="IonScanMode"	{
	NONE,
	UNIFORM,
	MODULATED,
	MODULATED_SPEC
}

StringValues="ModulatedScanModeType"	{
	STATIONARY,
	LEAPING,
	LINEAR,
	MIXED
}

StringValues="TreatmentDeliveryType"	{
	TREATMENT = normal patient treatment,
	OPEN_PORTFILM = portal image acquisition with open field,
	TRMT_PORTFILM = portal image acquisition with treatment port,
	CONTINUATION = continuation of interrupted treatment,
	SETUP = no treatment beam is applied for this RT Beam
}

StringValues="WedgeType"	{
	STANDARD = standard (static) wedge,
	DYNAMIC = moving beam limiting device (collimator) jaw simulating wedge,
	MOTORIZED = single wedge which can be removed from beam remotely
}

StringValues="IonWedgeType"	{
	STANDARD = standard (static) wedge,
	MOTORIZED = single wedge which can be removed from beam remotely,
	PARTIAL_STANDARD = wedge does not extend across the whole field and is operated manually,
	PARTIAL_MOTORIZED = wedge does not extend across the whole field and can be removed from beam remotely
}

StringValues="CompensatorDivergence"	{
	PRESENT = the compensator is shaped according to the beam geometrical divergence,
	ABSENT = the compensator is not shaped according to the beam geometrical divergence
}

StringValues="CompensatorMountingPosition"	{
	PATIENT_SIDE = the compensator is mounted on the side of the Compensator Tray which is towards the patient,
	SOURCE_SIDE = the compensator is mounted on the side of the Compensator Tray which is towards the radiation source,
	DOUBLE_SIDED = the compensator has a shaped surface on both sides of the Compensator Tray
}

StringValues="BrachyTreatmentTechnique"	{
	INTRALUMENARY,
	INTRACAVITARY,
	INTERSTITIAL,
	CONTACT,
	INTRAVASCULAR,
	PERMANENT
}

StringValues="BrachyTreatmentType"	{
	MANUAL = manually positioned,
	HDR = High dose rate,
	MDR = Medium dose rate,
	LDR = Low dose rate,
	PDR = Pulsed dose rate
}

StringValues="ApplicationSetupType"	{
	FLETCHER_SUIT,
	DELCLOS,
	BLOEDORN,
	JOSLIN_FLYNN,
	CHANDIGARH,
	MANCHESTER,
	HENSCHKE,
	NASOPHARYNGEAL,
	OESOPHAGEAL,
	ENDOBRONCHIAL,
	SYED_NEBLETT,
	ENDORECTAL,
	PERINEAL
}

StringValues="BrachyAccessoryDeviceType"	{
	SHIELD,
	DILATATION,
	MOLD,
	PLAQUE,
	FLAB
}

StringValues="SourceMovementType"	{
	STEPWISE,
	FIXED,
	OSCILLATING,
	UNIDIRECTIONAL
}

StringValues="ApprovalStatus"	{
	APPROVED = Reviewer recorded that object met an implied criterion,
	UNAPPROVED = No review of object has been recorded,
	REJECTED = Reviewer recorded that object failed to meet an implied criterion
}

StringValues="FixationDeviceType"	{
	BITEBLOCK,
	HEADFRAME,
	MASK,
	MOLD,
	CAST,
	HEADREST,
	BREAST_BOARD,
	BODY_FRAME,
	VACUUM_MOLD,
	WHOLE_BODY_POD,
	RECTAL_BALLOON
}

StringValues="ShieldingDeviceType"	{
	GUM,
	EYE,
	GONAD
}

StringValues="HighDoseTechniqueType"	{
	TBI,
	HDR
}

StringValues="TreatmentTerminationStatus"	{
	NORMAL,
	OPERATOR,
	MACHINE,
	UNKNOWN
}

StringValues="FractionGroupType"	{
	EXTERNAL_BEAM,
	BRACHY
}

StringValues="CurrentTreatmentStatus"	{
	NOT_STARTED,
	ON_TREATMENT,
	ON_BREAK,
	SUSPENDED,
	STOPPED,
	COMPLETED
}

StringValues="SourceApplicatorType"	{
	FLEXIBLE,
	RIGID
}

StringValues="TreatmentVerificationStatus"	{
	VERIFED,
	VERIFIED_OVR,
	NOT_VERIFED
}

StringValues="TreatmentDeliveryTypeNormalOrContinuation"	{
	TREATMENT,
	CONTINUATION
}

StringValues="ApplicationSetupCheck"	{
	PASSED,
	FAILED,
	UNKNOWN
}

StringValues="SourceType"	{
	POINT,
	LINE,
	CYLINDER,
	SPHERE
}

StringValues="BeamStopperPosition"	{
	EXTENDED,
	RETRACTED,
	UNKNOWN
}

StringValues="WedgePosition"	{
	IN,
	OUT
}

StringValues="NominalBeamEnergyUnit"	{
	MV = Megavolt,
	MEV = Mega electron-Volt
}

StringValues="CompensatorType"	{
	STANDARD,
	DYNAMIC
}

StringValues="MeasuredDoseType"	{
	DIODE,
	TLD,
	ION_CHAMBER,
	GEL,
	EPID,
	FILM
}

StringValues="FluenceDataSource"	{
	CALCULATED,
	MEASURED
}

StringValues="RTRespiratoryMotionCompensationTechnique" {
	NONE,
	BREATH_HOLD,
	REALTIME,
	GATING,
	TRACKING,
	PHASE_ORDERING,
	PHASE_RESCANNING,
	RETROSPECTIVE,
	CORRECTION,
	UNKNOWN
}

StringValues="RTRespiratorySignalSource" {
	NONE,
	BELT,
	NASAL_PROBE,
	CO2_SENSOR,
	NAVIGATOR,
	MR_PHASE,
	ECG,
	SPIROMETER,
	EXTERNAL_MARKER,
	INTERNAL_MARKER,
	IMAGE,
	UNKNOWN
}

StringValues="SourceStrengthUnits"	{
	AIR_KERMA_RATE,
	DOSE_RATE_WATER
}

StringValues="RTDoseSOPClass"	{
	1.2.840.10008.5.1.4.1.1.481.2
}

StringValues="RangeShifterType"	{
	ANALOG,
	BINARY
}

StringValues="LateralSpreadingDeviceType"	{
	SCATTERER,
	MAGNET
}

StringValues="RangeModulatorType"	{
	FIXED,
	WHL_FIXEDWEIGHTS,
	WHL_MODWEIGHTS
}

StringValues="PatientSupportType"	{
	TABLE,
	CHAIR
}

StringValues="RTGeneralAccessoryType"	{
	GRATICULE = Accessory tray with a radio-opaque grid,
	IMAGE_DETECTOR = Image acquisition device positioned in the beam line,
	RETICLE = Accessory tray with radio-transparent markers or grid
}

StringValues="RTPatientPosition" {
	HFP  = Head First Prone,
	HFS  = Head First Supine,
	HFDR = Head First Decubitus Right,
	HFDL = Head First Decubitus Right,
	FFP  = Feet First Prone,
	FFS  = Feet First Supine,
	FFDR = Feet First Decubitus Right,
	FFDL = Feet First Decubitus Right,
	SITTING = Sitting
}

StringValues="BeamDoseMeaning" {
	BEAM_LEVEL,
	FRACTION_LEVEL
}

StringValues="SpatialTransformOfDose" {
	NONE,
	RIGID,
	NON_RIGID
}

StringValues="BeamDoseType" {
	PHYSICAL,
	EFFECTIVE
}


StringValues="TomoType"	{
	LINEAR,
	SPIRAL,
	POLYCYCLOIDAL,
	CIRCULAR
}

StringValues="TomoClass"	{
	MOTION,
	TOMOSYNTHESIS
}

StringValues="OrganExposed"	{
	BREAST,
	GONADS,
	BONE MARROW,
	FETUS,
	LENS
}

StringValues="MammographyOrganExposed"	{
	BREAST
}

StringValues="AnodeTargetMaterial"	{
	TUNGSTEN,
	MOLYBDENUM,
	RHODIUM
}

StringValues="DXFilterMaterial"	{
	MOLYBDENUM,
	ALUMINUM,
	COPPER,
	RHODIUM,
	NIOBIUM,
	EUROPIUM,
	LEAD
}

StringValues="DXFilterType"	{
	STRIP,
	WEDGE,
	BUTTERFLY,
	MULTIPLE,
	NONE
}

StringValues="RectificationType"	{
	SINGLE PHASE,
	THREE PHASE,
	CONST POTENTIAL
}

StringValues="ExposureControlMode"	{
	MANUAL,
	AUTOMATIC
}

StringValues="ExposureStatus"	{
	NORMAL,
	ABORTED
}

StringValues="XRayGrid"	{
	FIXED,
	FOCUSED,
	RECIPROCATING,
	PARALLEL,
	CROSSED,
	NONE
}

StringValues="DXModality"	{
	DX = Digital Radiography,
	IO = Intra-oral Radiography,
	MG = Mammography,
	PX = Panoramic X-Ray
}

StringValues="MammographyModality"	{
	MG = Mammography
}

StringValues="IntraoralModality"	{
	IO = Intra-oral Radiography,
}

StringValues="PresentationIntentType"	{
	FOR PROCESSING,
	FOR PRESENTATION
}

StringValues="ForProcessing"	{
	FOR PROCESSING
}

StringValues="ForPresentation"	{
	FOR PRESENTATION
}

StringValues="ImageLaterality"	{
	R = Right,
	L = Left,
	U = Unpaired,
	B = Both left and right
}

StringValues="MammographyImageLaterality"	{
	R = Right,
	L = Left,
	B = Both left and right
}

StringValues="IntraoralImageLaterality"	{
	R = Right,
	L = Left,
	B = Both left and right
}

StringValues="DXImageType3"	{
	***EMPTYVALUE***
}

# C.8.11.7.1.4
StringValues="MammoImageType3"	{
	***EMPTYVALUE***,
	STEREO_SCOUT,
	STEREO_MINUS,
	STEREO_PLUS,
	PREFIRE_MINUS,
	PREFIRE_PLUS,
	POSTFIRE_MINUS,
	POSTFIRE_PLUS,
	POSTBIOPSY_MINUS,
	POSTBIOPSY_PLUS,
	POSTBIOPSY,
	POSTMARKER_MINUS,
	POSTMARKER_PLUS,
	POSTMARKER,
	TOMO_PROJ,
	TOMOSYNTHESIS,
	TOMO_SCOUT,
	PREFIRE,
	POSTFIRE,
	PRE_CONTRAST,
	POST_CONTRAST
}

# C.8.11.7.1.4
StringValues="MammoImageType4"	{
	***EMPTYVALUE***,
	GENERATED_2D,
	ADDITION,
	SUBTRACTION
}

# C.8.21.6.1.1
StringValues="BreastTomoImageAndFrameType4"	{
	***EMPTYVALUE***,
	NONE,
	GENERATED_2D,
	MAXIMUM,
	MEAN,
	ADDITION,
	SUBTRACTION
}

# C.8.11.7.1.4
StringValues="MammoImageType5"	{
	***EMPTYVALUE***,
	LOW_ENERGY,
	HIGH_ENERGY
}

# C.8.21.6.1.1
StringValues="BreastTomoImageAndFrameType5"	{
	***EMPTYVALUE***,
	LOW_ENERGY,
	HIGH_ENERGY
}

# C.8.21.6.1.1
StringValues="CommonEnhancedImageAndFrameType3AndBreastTomoImageAndFrameType3"	{
	ANGIO,
	CARDIAC,
	CARDIAC_GATED,
	CARDRESP_GATED,
	DYNAMIC,
	FLUOROSCOPY,
	LOCALIZER,
	MOTION,
	PERFUSION,
	PRE_CONTRAST,
	POST_CONTRAST,
	RESP_GATED,
	REST,
	STATIC,
	STRESS,
	VOLUME,
	NON_PARALLEL,
	PARALLEL,
	WHOLE_BODY,
	TOMO_PROJ,
	TOMOSYNTHESIS,
	TOMO_SCOUT,
	PREFIRE,
	POSTFIRE,
	POSTBIOPSY,
	POSTMARKER
}

StringValues="DXPixelIntensityRelationship" {
	LIN = Approximately proportional to X-Ray beam intensity,
	LOG = Non-linear Log Function
}

StringValues="DXPresentationLUTShape"	{
	IDENTITY,
	INVERSE
}

StringValues="DetectorType"	{
	DIRECT,
	SCINTILLATOR,
	STORAGE,
	FILM
}

StringValues="DetectorTypeExcludingFilm"	{
	DIRECT,
	SCINTILLATOR,
	STORAGE
}

StringValues="DetectorConfiguration"	{
	AREA,
	SLOT
}

StringValues="DXShape" {
	RECTANGLE,
	ROUND,
	HEXAGONAL
}

StringValues="DXFieldOfViewRotation" {
	0,
	90,
	180,
	270
}

StringValues="DXPositionerType" {
	CARM,
	COLUMN,
	MAMMOGRAPHIC,
	PANORAMIC,
	CEPHALOSTAT,
	RIGID,
	NONE
}

StringValues="MammographyPositionerType" {
	MAMMOGRAPHIC,
	NONE
}

StringValues="MammographyPositionerTypeWithoutNone" {
	MAMMOGRAPHIC
}

StringValues="IntraoralPositionerType" {
	CEPHALOSTAT,
	RIGID,
	NONE
}

StringValues="DXTableType" {
	FIXED,
	TILTING,
	NONE
}

StringValues="CodeValueForScreeningOrDiagnostic" {
	R-42453 = Screening,
	R-408C3 = Diagnostic
}

StringValues="PolygonalShutterShape" {
	POLYGONAL
}

StringValues="BreastTomosynthesisFieldOfViewShape" {
	RECTANGLE
}

StringValues="BreastTomosynthesisXRayReceptorType" {
	DIGITAL_DETECTOR
}

StringValues="PositionerPrimaryAngleDirection" {
	CW = Clockwise,
	CC = CounterClockwise
}

StringValues="MammographyPositionerAndDetectorMotion" {
	STATIONARY = No motion,
	ROTATION_STEP = Circular arc motion, stepped, acquire only while stationary,
	ROTATION_CONT = Circular arc motion, continuous during acquisition,
	TRANSLATION_STEP = Linear motion, stepped, acquire only while stationary,
	TRANSLATION_CONT = Linear motion, continuous during acquisition,
	COMPLEX_STEP = Complex motion, stepped, acquire only while stationary,
	COMPLEX_CONT = Complex motion, continuous during acquisition
}

StringValues="EntranceDoseDerivation"	{
	IAK,
	ESAK,
	ESDBS,
	ESDNOBS
}

StringValues="SDMCID4009CodeValue"	{
	T-D3000 = Chest,
	T-280A0 = Apex of lung,
	T-25000 = Trachea,
	T-26000 = Bronchus,
	T-24100 = Larynx,
	T-D3300 = Mediastinum,
	T-32000 = Heart,
	T-D1600 = Neck,
	T-11210 = Sternum,
	T-15610 = Sternoclavicular joint,
	T-11300 = Rib,
	T-11500 = Spine,
	T-11600 = Cervical spine,
	T-11700 = Thoracic spine,
	T-11900 = Lumbar spine,
	T-11AD0 = Sacrum,
	T-11BF0 = Coccyx,
	T-D4000 = Abdomen,
	T-D0300 = Extremity,
	T-D8200 = Arm,
	T-D8810 = Thumb,
	T-D8800 = Finger,
	T-D8700 = Hand,
	T-D8600 = Wrist,
	T-12402 = Forearm bone,
	T-D8300 = Elbow,
	T-12410 = Humerus,
	T-D2220 = Shoulder,
	T-12310 = Clavicle,
	T-12280 = Scapula,
	T-15420 = Acromioclavicular joint,
	T-D9800 = Toe,
	T-12980 = Sesamoid bones of foot,
	T-D9700 = Foot,
	T-12770 = Calcaneus,
	T-15770 = Tarsal joint,
	T-15750 = Ankle joint,
	T-D9400 = Leg,
	T-D9200 = Knee,
	T-12730 = Patella,
	T-12710 = Femur,
	T-15710 = Hip joint,
	T-D6000 = Pelvis,
	T-15680 = Sacroiliac joint,
	T-D1100 = Head,
	T-11100 = Skull,
	T-11196 = Facial bones,
	T-11167 = Zygomatic arch,
	T-11149 = Nasal bone,
	T-D1480 = Orbit,
	T-11102 = Optic canal,
	T-11180 = Mandible,
	T-11170 = Maxilla,
	T-D1217 = Maxilla and mandible,
	T-15290 = Temporomandibular joint,
	T-22000 = Paranasal sinus,
	T-11133 = Mastoid bone,
	T-D1460 = Sella turcica,
	T-04000 = Breast,
	T-61100 = Parotid gland,
	T-61300 = Submandibular gland,
	T-63000 = Gall bladder,
	T-60610 = Bile duct,
	T-56000 = Esophagus,
	T-57000 = Stomach,
	T-58200 = Duodenum,
	T-58000 = Small intestine,
	T-59000 = Large intestine,
	T-59600 = Rectum,
	T-70010 = Upper urinary tract,
	T-74000 = Bladder,
	T-75000 = Urethra,
	T-D6151 = Uterus and fallopian tubes
}

StringValues="SDMCID4013CodeValue"	{
	T-04000 = Breast
}

StringValues="SDMCID4016CodeValue"	{
	T-11180 = Mandible,
	T-11170 = Maxilla,
	T-D1217 = Maxilla and mandible
}

StringValues="SDMCID4010CodeValue" {
	R-10202 = frontal,
	R-10204 = frontal oblique,
	R-10206 = antero-posterior,
	R-10208 = antero-posterior oblique,
	R-10210 = right posterior oblique,
	R-10212 = left posterior oblique,
	R-10214 = postero-anterior,
	R-10216 = postero-anterior oblique,
	R-10218 = right anterior oblique,
	R-10220 = left anterior oblique,
	R-10222 = sagittal,
	R-10224 = medial-lateral,
	R-10226 = lateral oblique,
	R-10228 = lateral-medial,
	R-10230 = medial oblique,
	R-10232 = right lateral,
	R-10234 = right oblique,
	R-10236 = left lateral,
	R-10238 = left oblique,
	R-10241 = axial,
	R-10242 = cranio-caudal,
	R-10244 = caudo-cranial,
	R-10246 = oblique axial,
	R-10248 = oblique cranio-caudal,
	R-10250 = oblique caudo-cranial,
	R-10252 = frontal-oblique axial,
	R-10254 = sagittal-oblique axial,
	R-102C1 = oblique,
	R-102CD = lateral,
	R-102C2 = tangential,
	R-10256 = submentovertical,
	R-10257 = verticosubmental,
	R-102C3 = plantodorsal,
	R-102C4 = dorsoplantar,
	R-102C5 = parietoacanthal,
	R-102C6 = acanthoparietal,
	R-102C7 = orbitoparietal,
	R-102C8 = parieto-orbital
}

StringValues="SDMCID4014CodeValue" {
	R-10224 = medio-lateral,
	R-10226 = medio-lateral oblique,
	R-10228 = latero-medial,
	R-10230 = latero-medial oblique,
	R-10242 = cranio-caudal,
	R-10244 = caudo-cranial (from below),
	R-102D0 = superolateral to inferomedial oblique,
	R-102CF = exaggerated cranio-caudal,
	Y-X1770 = cranio-caudal exaggerated laterally,
	Y-X1771 = cranio-caudal exaggerated medially
}

StringValues="SDMCID4015CodeValue" {
	R-102D2 = Cleavage,
	R-102D1 = Axillary Tail,
	R-102D3 = Rolled Lateral,
	R-102D4 = Rolled Medial,
	R-102D5 = Implant Displaced,
	R-102D6 = Magnification,
	R-102D7 = Spot Compression,
	R-102C2 = Tangential
}

StringValues="SDMCID4011CodeValue" {
	R-10244 = cephalad,
	R-10242 = caudad,
	R-102C9 = transthoracic,
	R-102CA = lordotic,
	R-102CB = transforamenal,
	R-102CC = transoral,
	R-102CE = transorbital
}

StringValues="SDMCID19CodeValue" {
	F-10440 = erect,
	F-10450 = recumbent,
	F-10460 = semi-erect
}

StringValues="SDMCID20CodeValue" {
	F-10310 = prone,
	F-10316 = semi-prone,
	F-10318 = lateral  decubitus,
	F-10320 = standing,
	F-10326 = anatomical,
	F-10330 = kneeling,
	F-10336 = knee-chest,
	F-10340 = supine,
	F-10346 = lithotomy,
	F-10348 = Trendelenburg,
	F-10349 = inverse Trendelenburg,
	F-10380 = frog,
	F-10390 = stooped-over,
	F-103A0 = sitting,
	F-10410 = curled-up,
	F-10317 = right lateral decubitus,
	F-10319 = left lateral decubitus
}

StringValues="SDMCID21CodeValue" {
	R-10516 = oblique,
	F-10470 = headfirst,
	F-10480 = feet-first,
	R-10515 = transverse
}

StringValues="SDMCID4012CodeValue" {
	R-10261 = Albers-Schonberg,
	R-10262 = Alexander,
	R-10263 = Arcelin,
	R-10264 = Beclere,
	R-10265 = Bertel,
	R-10266 = Blackett-Healy,
	R-10267 = Broden,
	R-10268 = Cahoon,
	R-10269 = Caldwell,
	R-1026A = Camp-Coventry,
	R-1026B = Causton,
	R-1026C = Chamberlain,
	R-1026D = Chassard-Lapine,
	R-1026E = Chausse,
	R-1026F = Cleaves,
	R-10270 = Clements,
	R-10271 = Clements-Nakayama,
	R-10272 = Dunlap,
	R-10273 = Ferguson,
	R-10274 = Fleischner,
	R-10275 = Friedman,
	R-10276 = Fuchs,
	R-10277 = Gaynor-Hart,
	R-10278 = Grandy,
	R-10279 = Grashey,
	R-1027A = Haas,
	R-1027B = Henschen,
	R-1027C = Hickey,
	R-1027D = Holly,
	R-1027E = Holmblad,
	R-1027F = Hough,
	R-10280 = Hsieh,
	R-10281 = Hughston,
	R-10282 = Isherwood,
	R-10283 = Judd,
	R-10284 = Kandel,
	R-10285 = Kasabach,
	R-10286 = Kemp Harper,
	R-10287 = Kovacs,
	R-10288 = Kuchendorf,
	R-10289 = Kurzbauer,
	R-1028A = Laquerriere-Pierquin,
	R-1028B = Lauenstein,
	R-1028C = Law,
	R-1028D = Lawrence,
	R-1028E = Leonard-George,
	R-1028F = Lewis,
	R-10290= Lilienfeld,
	R-10291 = Lindblom,
	R-10292 = Lorenz,
	R-10293 = Low-Beer,
	R-10294 = Lysholm,
	R-10295 = May,
	R-10296 = Mayer,
	R-10297 = Merchant,
	R-10298 = Miller,
	R-10299 = Nolke,
	R-1029A = Norgaard,
	R-1029B = Ottonello,
	R-1029C = Pawlow,
	R-1029D = Pearson,
	R-1029E= Penner,
	R-1029F = Pirie,
	R-102A0 = Rhese,
	R-102A1 = Schuller,
	R-102A2 = Settegast,
	R-102A3 = Staunig,
	R-102A4 = Stecher,
	R-102A5 = Stenvers,
	R-102A6 = Swanson,
	R-102A7 = Tarrant,
	R-102A8 = Taylor,
	R-102A9 = Teufel,
	R-102AA = Titterington,
	R-102AB = Towne,
	R-102AC = Twining,
	R-102AD = Valdini,
	R-102AE = Waters,
	R-102AF = West Point,
	R-102B0 = Wigby-Taylor,
	R-102B1 = Zanelli
}

StringValues="SDMCID4017CodeValue" {
	T-51005 = Anterior 1,
	T-51006 = Anterior 2,
	T-51007 = Anterior 3,
	T-51008 = Premolar 1,
	T-51009 = Premolar 2,
	T-5100A = Molar 1,
	T-5100B = Molar 2,
	T-5100C = Molar 3,
	T-5100D = Occlusal
}

StringValues="SDMCID4018or4019CodeValue" {
	T-54210 = Maxillary right third molar tooth
	T-54220 = Maxillary right second molar tooth
	T-54230 = Maxillary right first molar tooth
	T-54240 = Maxillary right second premolar tooth
	T-54250 = Maxillary right first premolar tooth
	T-54260 = Maxillary right canine tooth
	T-54270 = Maxillary right lateral incisor tooth
	T-54280 = Maxillary right central incisor tooth
	T-54290 = Maxillary left central incisor tooth
	T-54300 = Maxillary left lateral incisor tooth
	T-54310 = Maxillary left canine tooth
	T-54320 = Maxillary left first premolar tooth
	T-54330 = Maxillary left second premolar tooth
	T-54340 = Maxillary left first molar tooth
	T-54350 = Maxillary left second molar tooth
	T-54360 = Maxillary left third molar tooth
	T-54370 = Mandibular left third molar tooth
	T-54380 = Mandibular left second molar tooth
	T-54390 = Mandibular left first molar tooth
	T-54400 = Mandibular left second premolar tooth
	T-54410 = Mandibular left first premolar tooth
	T-54420 = Mandibular left canine tooth
	T-54430 = Mandibular left lateral tooth
	T-54440 = Mandibular left central incisor tooth
	T-54450 = Mandibular right central incisor tooth
	T-54460 = Mandibular right lateral incisor tooth
	T-54470 = Mandibular right canine tooth
	T-54480 = Mandibular right first premolar tooth
	T-54490 = Mandibular right second premolar tooth
	T-54500 = Mandibular right first molar tooth
	T-54510 = Mandibular right second molar tooth
	T-54520 = Mandibular right third molar tooth
	T-54610 = Deciduous maxillary right central incisor tooth
	T-54620 = Deciduous maxillary right lateral incisor tooth
	T-54630 = Deciduous maxillary right canine tooth
	T-54640 = Deciduous maxillary right first molar tooth
	T-54650 = Deciduous maxillary right second molar tooth
	T-54660 = Deciduous maxillary left central incisor tooth
	T-54670 = Deciduous maxillary left lateral incisor tooth
	T-54680 = Deciduous maxillary left canine tooth
	T-54690 = Deciduous maxillary left first molar tooth
	T-54700 = Deciduous maxillary left second molar tooth
	T-54760 = Deciduous mandibular left central incisor tooth
	T-54770 = Deciduous mandibular left lateral incisor tooth
	T-54780 = Deciduous mandibular left canine tooth
	T-54790 = Deciduous mandibular left first molar tooth
	T-54800 = Deciduous mandibular left second molar tooth
	T-54710 = Deciduous mandibular right central incisor tooth
	T-54720 = Deciduous mandibular right lateral incisor tooth
	T-54730 = Deciduous mandibular right canine tooth
	T-54740 = Deciduous mandibular right first molar tooth
	T-54750 = Deciduous mandibular right second molar tooth
}

StringValues="VLEndoscopyModality" {
	ES
}

StringValues="VLMicroscopyModality" {
	GM
}

StringValues="VLSlideCoordinatesMicroscopyModality" {
	SM
}

StringValues="VLWholeSlideMicroscopyModality" {
	SM
}

StringValues="VLPhotographyModality" {
	XC
}

StringValues="VLImageType3" {
	STEREO L,
	STEREO R,
	***EMPTYVALUE***
}

StringValues="PhotometricInterpretationMonochrome2OrRGBorYBRFULL422orYBRPARTIAL420orYBRRCTorYBRICT" {
	MONOCHROME2,
	YBR_PARTIAL_420,
	YBR_FULL_422,
	RGB,
	YBR_RCT,
	YBR_ICT
}

StringValues="PhotometricInterpretationMonochrome2OrRGBorYBRFULL422orYBRRCTorYBRICT" {
	MONOCHROME2,
	YBR_FULL_422,
	RGB,
	YBR_RCT,
	YBR_ICT
}

StringValues="AcquisitionContextValueTypes" {
	TEXT,
	NUMERIC,
	CODE,
	DATE,
	TIME,
	PNAME
}

StringValues="OphthalmologyModality" {
	OP
}

StringValues="OphthalmologyImageType2" {
	PRIMARY
}

StringValues="OphthalmologyImageType3IfDerived" {
	MONTAGE
}

StringValues="OphthalmologyImageType4" {
	COLOR,
	REDFREE,
	RED,
	BLUE,
	FA,
	ICG
}

StringValues="OphthalmologyImageLaterality"	{
	R = Right,
	L = Left,
	B = Both left and right
}

StringValues="OphthalmicRefractiveMeasurementLaterality"	{
	R = Right,
	L = Left,
	B = Both left and right
}

StringValues="VisualFieldStaticPerimetryTestMeasurementLaterality"	{
	R = Right,
	L = Left,
	B = Both left and right
}

StringValues="OphthalmologyDetectorType"	{
	CCD,
	CMOS
}

StringValues="StereometricModality" {
	SMR
}

StringValues="OphthalmicTomographyModality" {
	OPT
}

StringValues="OphthalmicTomographyDetectorType" {
	CCD = Charge Coupled Device,
	CMOS = Complementary Metal Oxide Semiconductor,
	PHOTO = Photodetector,
	INT = Interferometer
}

StringValues="OphthalmicImageOrientation" {
	LINEAR,
	NONLINEAR,
	TRANSVERSE
}


StringValues="WholeSlideImageType1" {
	ORIGINAL,
	DERIVED
}

StringValues="WholeSlideImageType3" {
	LOCALIZER,
	VOLUME,
	LABEL,
	OVERVIEW
}

StringValues="WholeSlideImageType4" {
	NONE,
	RESAMPLED
}

StringValues="VolumetricPropertiesVolume" {
	VOLUME
}

StringValues="WholeSlideFocusMethod" {
	AUTO,
	MANUAL
}

StringValues="LocalizerDCMCodeValue" {
	121311
}

StringValues="LensometryModality" {
	LEN
}

StringValues="AutorefractionModality" {
	AR
}

StringValues="SubjectiveRefractionModality" {
	SRF
}

StringValues="VisualAcuityModality" {
	VA
}

StringValues="OphthalmicAxialMeasurementsModality" {
	OAM
}

StringValues="IntraocularLensCalculationsModality" {
	IOL
}

StringValues="KeratometryModality" {
	KER
}

StringValues="LensSegmentType" {
	PROGRESSIVE,
	NONPROGRESSIVE
}

StringValues="ViewingDistanceType" {
	DISTANCE,
	NEAR,
	INTERMEDIATE,
	OTHER
}

StringValues="VisualAcuityMeasurementsBackgroundColor" {
	RED,
	GREEN,
	WHITE,
	REDGREENSPLIT
}

StringValues="Optotype" {
	LETTERS,
	NUMBERS,
	PICTURES,
	TUMBLING E,
	LANDOLT C
}

StringValues="OptotypePresentation" {
	SINGLE,
	MULTIPLE
}

StringValues="OphthalmicAxialMeasurementsDeviceType" {
	ULTRASOUND,
	OPTICAL
}

StringValues="OphthalmicAxialLengthMeasurementsType" {
	TOTAL LENGTH = the total axial length was taken withone measurement,
	LENGTH SUMMATION = a summation of segmental lengthsthat determine the total axial length,
	SEGMENTAL LENGTH = a segmental axial length
}

StringValues="OphthalmicAxialMeasurementsObserverType" {
	PSN = Person; manually selected,
	DEV = Device; automatically selected
}

StringValues="OphthalmicAxialMeasurementsQualityImageSOPClassUIDs" {
	1.2.840.10008.5.1.4.1.1.7.2 = Multi-frame Grayscale ByteSecondary Capture Image Storage,
	1.2.840.10008.5.1.4.1.1.7.4 = Multi-frame True Color SecondaryCapture Image Storage
}

StringValues="VisualFieldStaticPerimetryTestMeasurementsScreeningBaselineType" {
	CENTRAL,
	PERIPHERAL
}

StringValues="VisualFieldStaticPerimetryTestMeasurementsStimulusResults" {
	SEEN,
	NOT SEEN,
	SEEN AT MAX
}

StringValues="VisualFieldShape" {
	RECTANGLE,
	CIRCLE,
	ELLIPSE
}

StringValues="OphthalmicVisualFieldModality" {
	OPV
}
StringValues="WaveformOriginality" {
	ORIGINAL,
	DERIVED
}

StringValues="ChannelStatus" {
	OK,
	TEST DATA,
	DISCONNECTED,
	QUESTIONABLE,
	INVALID,
	UNCALIBRATED,
	UNZEROED
}

StringValues="WaveformSampleInterpretation" {
	SB = signed 8 bit linear,
	UB = unsigned 8 bit linear,
	MB = 8 bit mu-law,
	AB = 8 bit A-law,
	SS = signed 16 bit linear,
	US = unsigned 16 bit linear
}

StringValues="TemporalRangeTypeForWaveformAnnotation" {
	POINT,
	MULTIPOINT,
	SEGMENT,
	MULTISEGMENT,
	BEGIN,
	END
}

StringValues="SynchronizationTrigger" {
	SOURCE,
	EXTERNAL,
	PASSTHRU,
	NO TRIGGER
}

StringValues="SynchronizationTriggerNoTrigger" {
	NO TRIGGER
}

StringValues="TimeDistributionProtocol" {
	NTP  = Network Time Protocol,
	IRIG = InterRange Instrument Group,
	GPS  = Global Positioning System,
	SNTP  = Simple Network Time Protocol
}

StringValues="DisplayShadingFlag" {
	NONE,
	BASELINE,
	ABSOLUTE,
	DIFFERENCE
}

StringValues="SRModality" {
	SR
}

StringValues="KOModality" {
	KO
}

StringValues="PreliminaryFlag" {
	PRELIMINARY,
	FINAL
}

StringValues="CompletionFlag" {
	PARTIAL,
	COMPLETE
}

StringValues="VerificationFlag" {
	UNVERIFIED,
	VERIFIED
}

StringValues="ContinuityOfContent" {
	SEPARATE,
	CONTINUOUS
}

StringValues="SRRelationshipType" {
	CONTAINS,
	HAS PROPERTIES,
	HAS CONCEPT MOD,
	HAS OBS CONTEXT,
	HAS ACQ CONTEXT,
	INFERRED FROM,
	SELECTED FROM
}

StringValues="SRRelationshipTypeHasConceptModifier" {
	HAS CONCEPT MOD
}

StringValues="SRValueTypes" {
	TEXT,
	NUM,
	CODE,
	DATETIME,
	DATE,
	TIME,
	UIDREF,
	PNAME,
	IMAGE,
	WAVEFORM,
	COMPOSITE,
	SCOORD,
	SCOORD3D,
	TCOORD,
	CONTAINER
}

StringValues="EnhancedAndComprehensiveSRValueTypes" {
	TEXT,
	NUM,
	CODE,
	DATETIME,
	DATE,
	TIME,
	UIDREF,
	PNAME,
	IMAGE,
	WAVEFORM,
	COMPOSITE,
	SCOORD,
	TCOORD,
	CONTAINER
}

StringValues="BasicTextSRValueTypes" {
	TEXT,
	CODE,
	DATETIME,
	DATE,
	TIME,
	UIDREF,
	PNAME,
	COMPOSITE,
	IMAGE,
	WAVEFORM,
	CONTAINER
}

StringValues="KeyObjectSelectionDocumentValueTypes" {
	TEXT,
	CODE,
	UIDREF,
	PNAME,
	IMAGE,
	WAVEFORM,
	COMPOSITE,
	CONTAINER
}

StringValues="MammographyCADSRValueTypes" {
	TEXT,
	CODE,
	NUM,
	DATE,
	TIME,
	PNAME,
	SCOORD,
	COMPOSITE,
	IMAGE,
	CONTAINER
}

StringValues="ChestCADSRValueTypes" {
	TEXT,
	CODE,
	NUM,
	DATE,
	TIME,
	PNAME,
	SCOORD,
	TCOORD,
	COMPOSITE,
	IMAGE,
	CONTAINER,
	UIDREF,
	WAVEFORM
}

StringValues="ProcedureLogValueTypes" {
	CODE,
	CONTAINER,
	COMPOSITE,
	DATETIME,
	DATE,
	IMAGE,
	NUM,
	PNAME,
	TEXT,
	TIME,
	UIDREF,
	WAVEFORM
}

StringValues="XRayRadiationDoseSRValueTypes" {
	TEXT,
	CODE,
	NUM,
	DATETIME,
	UIDREF,
	PNAME,
	COMPOSITE,
	IMAGE,
	CONTAINER
}

StringValues="SRGraphicType" {
	POINT,
	MULTIPOINT,
	POLYLINE,
	CIRCLE,
	ELLIPSE
}

StringValues="SRGraphicType3D" {
	POINT,
	MULTIPOINT,
	POLYLINE,
	POLYGON,
	ELLIPSE,
	ELLIPSOID
}

StringValues="TemporalRangeType" {
	POINT,
	MULTIPOINT,
	SEGMENT,
	MULTISEGMENT,
	BEGIN,
	END
}

StringValues="ParticipationType" {
	SOURCE,
	ENT,
	ATTEST 
}

StringValues="ObserverType" {
	PSN,
	DEV 
}

StringValues="SRTemplateMappingResource" {
	DCMR,
	99RPH,
	99SMS_CTMR = Siemens CT MR,
	99PMP = PixelMed,
	99QIICR = NCI QIICR Project 3DSlicer BWH
}
StringValues="AnnotationUnits"	{
	PIXEL,
	DISPLAY,
	MATRIX
}

StringValues="GraphicType"	{
	POINT,
	POLYLINE,
	INTERPOLATED,
	CIRCLE,
	ELLIPSE
}

StringValues="SoftcopyPresentationLUTShape"	{
	IDENTITY,
	INVERSE
}

StringValues="PresentationStateModality"	{
	PR = Presentation State
}

StringValues="MaskOperationForPresentationState" {
	AVG_SUB = Average Subtraction,
	TID = Time Interval Differencing
}

StringValues="PresentationSizeMode"	{
	SCALE TO FIT,
	TRUE SIZE,
	MAGNIFY
}

StringValues="HangingProtocolLevel"	{
	MANUFACTURER,
	SITE,
	USER_GROUP,
	SINGLE_USER
}

StringValues="ImageSetSelectorUsageFlag"	{
	MATCH,
	NO_MATCH
}

StringValues="SelectorAttributeVR"	{
	AE,
	AS,
	AT,
	CS,
	DA,
	DS,
	DT,
	FL,
	FD,
	IS,
	LO,
	LT,
	PN,
	SH,
	SL,
	SQ,
	SS,
	ST,
	TM,
	UI,
	UL,
	US,
	UT
}

StringValues="ImageSetSelectorCategory"	{
	RELATIVE_TIME,
	ABSTRACT_PRIOR
}

StringValues="RelativeTimeUnits"	{
	SECONDS,
	MINUTES,
	HOURS,
	DAYS,
	WEEKS,
	MONTHS,
	YEARS
}

StringValues="ImageBoxLayoutTypeForHangingProtocol"	{
	TILED,
	STACK,
	CINE,
	PROCESSED,
	SINGLE
}

StringValues="ImageBoxScrollDirection"	{
	VERTICAL,
	HORIZONTAL
}

StringValues="ImageBoxScrollType"	{
	PAGE,
	ROW_COLUMN,
	IMAGE
}

StringValues="FilterByCategory"	{
	IMAGE_PLANE
}

StringValues="FilterByAttributePresence"	{
	PRESENT,
	NOT_PRESENT
}

StringValues="FilterByOperator"	{
	RANGE_INCL,
	RANGE_EXCL,
	GREATER_OR_EQUAL,
	LESS_OR_EQUAL,
	GREATER_THAN,
	LESS_THAN,
	MEMBER_OF,
	NOT_MEMBER_OF
}

StringValues="SortByCategory"	{
	ALONG_AXIS,
	BY_ACQ_TIME
}

StringValues="SortingDirection"	{
	INCREASING,
	DECREASING
}

StringValues="BlendingOperationType"	{
	COLOR
}

StringValues="ReformattingOperationType"	{
	MPR,
	3D_RENDERING,
	SLAB
}

StringValues="ReformattingOperationInitialViewDirection"	{
	SAGITTAL,
	AXIAL,
	CORONAL,
	OBLIQUE
}

StringValues="ThreeDRenderingType"	{
	MIP,
	SURFACE,
	VOLUME
}

StringValues="DisplaySetHorizontalJustification"	{
	LEFT,
	CENTER,
	RIGHT
}

StringValues="DisplaySetVerticalJustification"	{
	TOP,
	CENTER,
	BOTTOM
}
StringValues="VOIType"	{
	LUNG,
	MEDIASTINUM,
	ABDO_PELVIS,
	LIVER,
	SOFT_TISSUE,
	BONE,
	BRAIN,
	POST_FOSSA
}

StringValues="PseudoColorType"	{
	BLACK_BODY,
	HOT_IRON,
	DEFAULT
}

StringValues="PartialDataDisplayHandling"	{
	MAINTAIN_LAYOUT,
	ADAPT_LAYOUT
}

StringValues="VOILUTFunction"	{
	LINEAR,
	SIGMOID,
	LINEAR_EXACT
}

StringValues="BlendingPosition"	{
	SUPERIMPOSED,
	UNDERLYING
}

StringValues="ImageBoxLayoutTypeForStructuredDisplay" {
	STACK,
	CINE,
	SINGLE
}

StringValues="InitialCineRunState" {
	STOPPED,
	RUNNING
}

StringValues="TypeOfSynchronizationBetweenImageBoxes" {
	FRAME,
	POSITION,
	TIME,
	PHASE
}

StringValues="BoundingBoxTextHorizontalJustification" {
	LEFT,
	RIGHT,
	CENTER
}

StringValues="PixelOriginInterpretation"	{
	FRAME,
	VOLUME
}

StringValues="ColorSpace"	{
	SRGB,
	ADOBERGB,
	ROMMRGB
}


StringValues="MRModality" {
	MR
}

StringValues="CardiacCyclePosition" {
	END_SYSTOLE,
	END_DIASTOLE,
	UNDETERMINED
}

StringValues="RespiratoryCyclePosition" {
	START_RESPIR,
	END_RESPIR,
	UNDETERMINED
}

StringValues="CardiacSynchronizationTechnique" {
	NONE,
	REALTIME
	PROSPECTIVE,
	RETROSPECTIVE,
	PACED
}


StringValues="CardiacSignalSource" {
	ECG,
	VCG,
	PP,
	MR
}


StringValues="CardiacBeatRejectionTechnique" {
	NONE,
	RR_INTERVAL,
	QRS_LOOP,
	PVC
}

StringValues="RespiratoryMotionCompensationTechnique" {
	NONE,
	BREATH_HOLD,
	REALTIME,
	GATING,
	TRACKING,
	PHASE_ORDERING,
	PHASE_RESCANNING,
	RETROSPECTIVE,
	CORRECTION
}

StringValues="RespiratorySignalSource" {
	NONE,
	BELT,
	NASAL_PROBE,
	CO2_SENSOR,
	NAVIGATOR,
	MR_PHASE,
	ECG
}

StringValues="BulkMotionCompensationTechnique" {
	NONE,
	REALTIME,
	GATING,
	TRACKING,
	RETROSPECTIVE,
	CORRECTION
}

StringValues="BulkMotionSignalSource" {
	JOINT,
	NAVIGATOR,
	MR_PHASE
}

StringValues="ContentQualification" {
	PRODUCT,
	RESEARCH,
	SERVICE
}

StringValues="ResonantNucleus" {
	1H,
	3HE,
	7LI,
	13C,
	19F,
	23NA,
	31P,
	129XE
}

StringValues="ApplicableSafetyStandardAgency" {
	IEC,
	FDA,
	MHW
}

StringValues="EnhancedMRImageAndFrameType3" {
	ANGIO,
	CARDIAC,
	CARDIAC_GATED,
	CARDRESP_GATED,
	DYNAMIC,
	FLUOROSCOPY,
	LOCALIZER,
	MOTION,
	PERFUSION,
	PRE_CONTRAST,
	POST_CONTRAST,
	RESP_GATED,
	REST,
	STATIC,
	STRESS,
	VOLUME,
	NON_PARALLEL,
	PARALLEL,
	WHOLE_BODY,
	ANGIO_TIME,
	ASL,
	CINE,
	DIFFUSION,
	FLOW_ENCODED,
	FLUID_ATTENUATED,
	FMRI,
	MAX_IP,
	MIN_IP,
	M_MODE,
	METABOLITE_MAP,
	MULTIECHO,
	PROTON_DENSITY,
	REALTIME,
	STIR,
	TAGGING,
	TEMPERATURE,
	T1,
	T2,
	T2_STAR,
	TOF,
	VELOCITY
}

StringValues="EnhancedMRSpectroscopyImageAndFrameType3" {
	SPECTROSCOPY
}

StringValues="EnhancedMRImageType4" {
	ADDITION,
	DIVISION,
	MASKED,
	MAXIMUM,
	MEAN,
	MINIMUM,
	MTT,
	MULTIPLICATION,
	RCBF,
	RCBV,
	RESAMPLED,
	STD_DEVIATION,
	SUBTRACTION,
	T_TEST,
	TTP,
	Z_SCORE,
	NONE,
	ADC,
	PERFUSION_ASL,
	DIFFUSION,
	DIFFUSION_ANISO,
	DIFFUSION_ATTNTD,
	DIFFUSION_ISO,
	METABOLITE_MAP,
	NEI,
	R_COEFFICIENT,
	RHO,
	SCM,
	SNR_MAP,
	T1_MAP,
	T2_STAR_MAP,
	T2_MAP,
	TCS,
	TEMPERATURE,
	VELOCITY,
	MIXED
}

StringValues="EnhancedMRFrameType4" {
	ADDITION,
	DIVISION,
	MASKED,
	MAXIMUM,
	MEAN,
	MINIMUM,
	MTT,
	MULTIPLICATION,
	RCBF,
	RCBV,
	RESAMPLED,
	STD_DEVIATION,
	SUBTRACTION,
	T_TEST,
	TTP,
	Z_SCORE,
	NONE,
	ADC,
	PERFUSION_ASL,
	DIFFUSION,
	DIFFUSION_ANISO,
	DIFFUSION_ATTNTD,
	DIFFUSION_ISO,
	METABOLITE_MAP,
	NEI,
	R_COEFFICIENT,
	RHO,
	SCM,
	SNR_MAP,
	T1_MAP,
	T2_STAR_MAP,
	T2_MAP,
	TCS,
	TEMPERATURE,
	VELOCITY
}

StringValues="EnhancedMRSpectroscopyImageType4" {
	ADDITION,
	DIVISION,
	MAXIMUM,
	MEAN,
	MINIMUM,
	MULTIPLICATION,
	STD_DEVIATION,
	SUBTRACTION,
	NONE,
	MIXED
}

StringValues="EnhancedMRSpectroscopyFrameType4" {
	ADDITION,
	DIVISION,
	MAXIMUM,
	MEAN,
	MINIMUM,
	MULTIPLICATION,
	STD_DEVIATION,
	SUBTRACTION,
	NONE
}

StringValues="CommonCTMRPixelPresentationFrameLevel" {
	COLOR,
	MONOCHROME,
	TRUE_COLOR
}

StringValues="CommonCTMRPixelPresentationImageLevel" {
	COLOR,
	MONOCHROME,
	MIXED,
	TRUE_COLOR
}

StringValues="PixelPresentationTrueColor" {
	TRUE_COLOR
}

StringValues="CommonCTMRVolumetricPropertiesFrameLevel" {
	VOLUME,
	SAMPLED,
	DISTORTED
}

StringValues="CommonCTMRVolumetricPropertiesImageLevel" {
	VOLUME,
	SAMPLED,
	DISTORTED,
	MIXED
}

StringValues="CommonCTMRVolumeBasedCalculationTechniqueFrameLevel" {
	MAX_IP,
	MIN_IP,
	VOLUME_RENDER,
	SURFACE_RENDER,
	MPR,
	CURVED_MPR,
	NONE
}

StringValues="CommonCTMRVolumeBasedCalculationTechniqueImageLevel" {
	MAX_IP,
	MIN_IP,
	VOLUME_RENDER,
	SURFACE_RENDER,
	MPR,
	CURVED_MPR,
	NONE,
	MIXED
}


StringValues="MRSpectroscopyVolumeBasedCalculationTechniqueFrameLevel" {
	MAX_IP,
	MIN_IP,
	NONE
}

StringValues="MRSpectroscopyVolumeBasedCalculationTechniqueImageLevel" {
	MAX_IP,
	MIN_IP,
	NONE,
	MIXED
}

StringValues="EnhancedMRComplexImageComponentFrameLevel" {
	MAGNITUDE,
	PHASE,
	REAL,
	IMAGINARY
}

StringValues="EnhancedMRComplexImageComponentImageLevel" {
	MAGNITUDE,
	PHASE,
	REAL,
	IMAGINARY,
	MIXED
}

StringValues="MRSpectroscopyComplexImageComponentFrameLevel" {
	MAGNITUDE,
	PHASE,
	REAL,
	IMAGINARY,
	COMPLEX
}

StringValues="MRSpectroscopyComplexImageComponentImageLevel" {
	MAGNITUDE,
	PHASE,
	REAL,
	IMAGINARY,
	COMPLEX,
	MIXED
}

StringValues="EnhancedMRAcquisitionContrastFrameLevel" {
	DIFFUSION,
	FLOW_ENCODED,
	FLUID_ATTENUATED,
	PERFUSION,
	PROTON_DENSITY,
	STIR,
	TAGGING,
	T1,
	T2,
	T2_STAR,
	TOF,
	UNKNOWN
}

StringValues="EnhancedMRAcquisitionContrastImageLevel" {
	DIFFUSION,
	FLOW_ENCODED,
	FLUID_ATTENUATED,
	PERFUSION,
	PROTON_DENSITY,
	STIR,
	TAGGING,
	T1,
	T2,
	T2_STAR,
	TOF,
	UNKNOWN,
	MIXED
}


StringValues="MRSpectroscopyAcquisitionContrastFrameLevel" {
	PROTON_DENSITY,
	T1,
	T2,
	UNKNOWN
}

StringValues="MRSpectroscopyAcquisitionContrastImageLevel" {
	PROTON_DENSITY,
	T1,
	T2,
	UNKNOWN,
	MIXED
}

StringValues="EnhancedMRAcquisitionType" {
	1D,
	2D,
	3D
}

StringValues="EchoPulseSequence" {
	SPIN,
	GRADIENT,
	BOTH
}

StringValues="SteadyStatePulseSequence" {
	FREE_PRECESSION,
	TRANSVERSE,
	TIME_REVERSED,
	LONGITUDINAL,
	NONE
}

StringValues="SpectrallySelectedSuppression" {
	FAT,
	WATER,
	FAT_AND_WATER,
	SILICON_GEL,
	NONE
}

StringValues="OversamplingPhase" {
	2D = phase direction,
	3D = out of plane direction,
	2D_3D = both,
	NONE
}

StringValues="GeometryOfKSpaceTraversal" {
	RECTILINEAR,
	RADIAL,
	SPIRAL
}

StringValues="RectilinearPhaseEncodeReordering" {
	LINEAR,
	CENTRIC,
	SEGMENTED,
	REVERSE_LINEAR,
	REVERSE_CENTRIC
}

StringValues="SegmentedKSpaceTraversal" {
	SINGLE,
	PARTIAL,
	FULL
}

StringValues="CoverageOfKSpace" {
	FULL,
	CYLINDRICAL,
	ELLIPSOIDAL,
	WEIGHTED
}

StringValues="SpecificAbsorptionRateDefinition" {
	IEC_WHOLE_BODY,
	IEC_PARTIAL_BODY,
	IEC_HEAD,
	IEC_LOCAL
}

StringValues="GradientOutputType" {
	DB_DT,
	ELECTRIC_FIELD,
	PER_NERVE_STIM
}

StringValues="OperatingModeType" {
	STATIC FIELD,
	RF,
	GRADIENT
}
StringValues="OperatingMode" {
	IEC_NORMAL,
	IEC_FIRST_LEVEL,
	IEC_SECOND_LEVEL
}

StringValues="InplanePhaseEncodingDirection" {
	COLUMN,
	ROW,
	OTHER
}

StringValues="FlowCompensation" {
	ACCELERATION,
	VELOCITY,
	OTHER,
	NONE
}

StringValues="FlowCompensationDirection" {
	PHASE,
	FREQUENCY,
	SLICE_SELECT,
	SLICE_AND_FREQ,
	SLICE_FREQ_PHASE,
	PHASE_AND_FREQ,
	SLICE_AND_PHASE,
	OTHER
}

StringValues="Spoiling" {
	RF,
	GRADIENT,
	RF_AND_GRADIENT,
	NONE
}

StringValues="SpectrallySelectedExcitation" {
	WATER,
	FAT,
	NONE
}

StringValues="SpatialPresaturation" {
	SLAB,
	NONE
}

StringValues="PartialFourierDirection" {
	PHASE,
	FREQUENCY,
	SLICE_SELECT,
	COMBINATION
}

StringValues="ParallelAcquisitionTechnique" {
	PILS,
	SENSE,
	SMASH,
	OTHER
}

StringValues="MagnetizationTransfer" {
	ON_RESONANCE,
	OFF_RESONANCE,
	NONE
}

StringValues="Tagging" {
	GRID,
	LINE,
	NONE
}

StringValues="ReceiveCoilType" {
	BODY,
	VOLUME,
	SURFACE,
	MULTICOIL
}

StringValues="TransmitCoilType" {
	BODY,
	VOLUME,
	SURFACE
}

StringValues="DiffusionDirectionality" {
	DIRECTIONAL,
	BMATRIX,
	ISOTROPIC,
	NONE
}

StringValues="DiffusionAnisotropyType" {
	FRACTIONAL,
	RELATIVE,
	VOLUME_RATIO
}

StringValues="VolumeLocalizationTechnique" {
	ILOPS,
	ISIS,
	PRIME,
	PRESS,
	SLIM,
	SLOOP,
	STEAM,
	NONE
}

StringValues="DecoupledNucleus" {
	1H,
	3HE,
	7LI,
	13C,
	19F,
	23NA,
	31P,
	129XE
}

StringValues="DecouplingMethod" {
	MLEV,
	WALTZ,
	NARROWBAND
}

StringValues="KSpaceFiltering" {
	COSINE,
	COSINE_SQUARED,
	FERMI,
	GAUSSIAN,
	HAMMING,
	HANNING,
	LORENTZIAN,
	LRNTZ_GSS_TRNSFM,
	RIESZ,
	TUKEY,
	NONE
}

StringValues="TimeDomainFiltering" {
	COSINE,
	COSINE_SQUARED,
	EXPONENTIAL,
	GAUSSIAN,
	HAMMING,
	HANNING,
	LORENTZIAN,
	LRNTZ_GSS_TRNSFM,
	NONE
}

StringValues="BaselineCorrection" {
	LINEAR_TILT,
	LOCAL_LINEAR_FIT,
	POLYNOMIAL_FIT,
	SINC_DECONVOLUTN,
	TIME_DOMAIN_FIT,
	SPLINE,
	NONE
}

StringValues="MRSpectroscopyAcquisitionType" {
	SINGLE_VOXEL,
	ROW,
	PLANE,
	VOLUME
}

StringValues="MRSpectroscopyDataRepresentation" {
	COMPLEX,
	REAL,
	IMAGINARY,
	MAGNITUDE
}

StringValues="SpectroscopySignalDomain" {
	FREQUENCY,
	TIME
}

StringValues="ArterialSpinLabelingContrast" {
	CONTINUOUS,
	PSEUDOCONTINUOUS,
	PULSED 
}

StringValues="ASLContext" {
	LABEL,
	CONTROL,
	M_ZERO_SCAN
}

StringValues="CTModality" {
	CT
}

StringValues="EnhancedCTWindowCenterWidthExplanation" {
	BRAIN,
	SOFT_TISSUE,
	LUNG,
	BONE
}

StringValues="ContrastBolusAgentPhase" {
	PRE_CONTRAST,
	POST_CONTRAST,
	IMMEDIATE,
	DYNAMIC,
	STEADY_STATE,
	DELAYED,
	ARTERIAL,
	CAPILLARY,
	VENOUS,
	PORTAL_VENOUS
}

StringValues="EnhancedCTImageAndFrameType3" {
	ANGIO,
	CARDIAC,
	CARDIAC_GATED,
	CARDRESP_GATED,
	DYNAMIC,
	FLUOROSCOPY,
	LOCALIZER,
	MOTION,
	PERFUSION,
	PRE_CONTRAST,
	POST_CONTRAST,
	RESP_GATED,
	REST,
	STATIC,
	STRESS,
	VOLUME,
	NON_PARALLEL,
	PARALLEL,
	WHOLE_BODY,
	ATTENUATION,
	REFERENCE
}

StringValues="EnhancedCTImageType4" {
	ADDITION,
	DIVISION,
	MASKED,
	MAXIMUM,
	MEAN,
	MINIMUM,
	MTT,
	MULTIPLICATION,
	RCBF,
	RCBV,
	RESAMPLED,
	STD_DEVIATION,
	SUBTRACTION,
	T_TEST,
	TTP,
	Z_SCORE,
	NONE,
	FILTERED,
	MEDIAN,
	MIXED,
	ENERGY_PROP_WT
}

StringValues="EnhancedCTFrameType4" {
	ADDITION,
	DIVISION,
	MASKED,
	MAXIMUM,
	MEAN,
	MINIMUM,
	MTT,
	MULTIPLICATION,
	RCBF,
	RCBV,
	RESAMPLED,
	STD_DEVIATION,
	SUBTRACTION,
	T_TEST,
	TTP,
	Z_SCORE,
	NONE,
	FILTERED,
	MEDIAN,
	ENERGY_PROP_WT
}

StringValues="CTAcquisitionType" {
	SEQUENCED,
	SPIRAL,
	CONSTANT_ANGLE,
	STATIONARY,
	FREE
}

StringValues="CTReconstructionAlgorithm" {
	FILTER_BACK_PROJ,
	ITERATIVE
}

StringValues="CTConvolutionKernelGroup" {
	BRAIN,
	SOFT_TISSUE,
	LUNG,
	BONE,
	OTHER
}

StringValues="CTExposureModulationType" {
	NONE
}

StringValues="CTFilterMaterial"	{
	MOLYBDENUM,
	ALUMINUM,
	COPPER,
	RHODIUM,
	NIOBIUM,
	EUROPIUM,
	LEAD,
	MIXED
}

StringValues="CTFilterType" {
	WEDGE,
	BUTTERFLY,
	MULTIPLE,
	FLAT,
	SHAPED,
	NONE
}

StringValues="RescaleTypeHounsfieldUnits" {
	HU = Hounsfield Units
}

StringValues="MultienergySourceTechnique" {
	SWITCHING_SOURCE,
	CONSTANT_SOURCE
}

StringValues="MultienergyDetectorType" {
	INTEGRATING,
	MULTILAYER,
	PHOTON_COUNTING
}

StringValues="DecompositionMethod" {
	PROJECTION_BASED,
	IMAGE_BASED,
	HYBRID
}
